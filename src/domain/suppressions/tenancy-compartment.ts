import { invalid } from '../errors';
import type { Caller } from '../ports';

/** Suppressions live at tenancy level: their compartmentId must be the caller's tenancy OCID. */
export function assertTenancyCompartment(caller: Caller, compartmentId: string): void {
  if (compartmentId !== caller.tenancyId) {
    throw invalid('compartmentId', 'suppressions are kept at tenancy level; use the tenancy OCID');
  }
}
