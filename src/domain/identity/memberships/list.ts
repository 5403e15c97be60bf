import type { Caller } from '../../ports';
import type { ListOptions, Page } from '../../../values/page';
import { assertTenancy } from '../outcome';
import type { IdentityStore, Membership, MembershipFilter } from '../ports';
import { requireGrant } from '../require-grant';

export async function listMemberships(
  identity: IdentityStore,
  caller: Caller,
  compartmentId: string,
  filter: MembershipFilter,
  options: ListOptions<'TIMECREATED'>,
): Promise<Page<Membership>> {
  await requireGrant(caller, 'inspect', 'groups', caller.tenancyId, `Compartment ${compartmentId}`);
  assertTenancy(caller, compartmentId, 'group memberships');
  return identity.forTenancy(caller.tenancyId).memberships.list(filter, options);
}
