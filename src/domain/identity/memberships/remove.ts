import { notFound } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { guardAdministrators } from '../administrators';
import { ADMINISTRATORS_KEY, nameKey } from '../names';
import type { IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

/** Ends a membership; the grants it carried stop with the next request. */
export async function removeUserFromGroup(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  membershipId: string,
): Promise<void> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `Membership ${membershipId}`;
  await requireGrant(caller, 'manage', 'groups', caller.tenancyId, what);
  const membership = await directory.memberships.findById(membershipId);
  if (!membership) throw notFound(what);
  const group = await directory.groups.findById(membership.groupId);
  await guardAdministrators(caller, group !== undefined && nameKey(group.name) === ADMINISTRATORS_KEY, what);
  if (!(await directory.memberships.delete(membershipId))) throw notFound(what);
  rt.logger.info('membership.removed', { membershipId });
}
