import { invalid } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { Caller, Verb } from '../ports';

/** Suppressions live at tenancy level: their compartmentId must be the caller's tenancy OCID. */
export function assertTenancyCompartment(caller: Caller, compartmentId: string): void {
  if (compartmentId !== caller.tenancyId) {
    throw invalid('compartmentId', 'suppressions are kept at tenancy level; use the tenancy OCID');
  }
}

/** Suppressions are granted only `in tenancy`: a grant in a compartment never reaches them. */
export function requireSuppressionGrant(caller: Caller, verb: Verb, what: string): Promise<void> {
  return requireGrant(caller, verb, 'suppressions', caller.tenancyId, what);
}
