import type { Caller } from '../../ports';
import type { Page } from '../../../values/page';
import type { IdentityListOptions, IdentityStore, Policy, PolicyFilter } from '../ports';
import { requireGrant } from '../require-grant';

export async function listPolicies(
  identity: IdentityStore,
  caller: Caller,
  filter: PolicyFilter,
  options: IdentityListOptions,
): Promise<Page<Policy>> {
  const { compartmentId } = filter;
  await requireGrant(caller, 'inspect', 'policies', compartmentId, `Compartment ${compartmentId}`);
  return identity.forTenancy(caller.tenancyId).policies.list(filter, options);
}
