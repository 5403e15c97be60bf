import type { Caller } from '../../ports';
import type { Page } from '../../../values/page';
import { assertTenancy } from '../outcome';
import type { Group, IdentityListOptions, IdentityStore, NameFilter } from '../ports';
import { requireGrant } from '../require-grant';

export async function listGroups(
  identity: IdentityStore,
  caller: Caller,
  compartmentId: string,
  filter: NameFilter,
  options: IdentityListOptions,
): Promise<Page<Group>> {
  await requireGrant(caller, 'inspect', 'groups', caller.tenancyId, `Compartment ${compartmentId}`);
  assertTenancy(caller, compartmentId, 'groups');
  return identity.forTenancy(caller.tenancyId).groups.list(filter, options);
}
