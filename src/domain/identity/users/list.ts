import type { Caller } from '../../ports';
import type { Page } from '../../../values/page';
import { assertTenancy } from '../outcome';
import type { IdentityListOptions, IdentityStore, NameFilter, User } from '../ports';
import { requireGrant } from '../require-grant';

export async function listUsers(
  identity: IdentityStore,
  caller: Caller,
  compartmentId: string,
  filter: NameFilter,
  options: IdentityListOptions,
): Promise<Page<User>> {
  await requireGrant(caller, 'inspect', 'users', caller.tenancyId, `Compartment ${compartmentId}`);
  assertTenancy(caller, compartmentId, 'users');
  return identity.forTenancy(caller.tenancyId).users.list(filter, options);
}
