import { DomainError, invalid, notFound } from '../errors';
import type { Caller } from '../ports';
import type { Change } from './ports';

/** Turns a conditional write's outcome into the value or OCI's error for it. */
export function settle<T>(result: Change<T>, what: string): T {
  if (result === 'missing') throw notFound(what);
  if (result === 'etag-mismatch') {
    throw new DomainError('NoEtagMatch', `The if-match value does not match the current etag of ${what}`);
  }
  return result;
}

export const conflict = (message: string): DomainError => new DomainError('Conflict', message);

/** Users, groups and memberships live in the root compartment, as in OCI. */
export function assertTenancy(caller: Caller, compartmentId: string, what: string): void {
  if (compartmentId !== caller.tenancyId) {
    throw invalid('compartmentId', `${what} live in the tenancy (root compartment); use the tenancy OCID`);
  }
}
