import { notFound } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { guardAdministrators } from '../administrators';
import { ADMINISTRATORS_KEY, nameKey } from '../names';
import { newMembership } from '../new-records';
import { conflict } from '../outcome';
import type { IdentityStore, Membership } from '../ports';
import { requireGrant } from '../require-grant';

export async function addUserToGroup(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  input: { userId: string; groupId: string },
): Promise<Membership> {
  const directory = identity.forTenancy(caller.tenancyId);
  await requireGrant(caller, 'manage', 'groups', caller.tenancyId, `Group ${input.groupId}`);
  const [user, group] = await Promise.all([
    directory.users.findById(input.userId),
    directory.groups.findById(input.groupId),
  ]);
  if (!user) throw notFound(`User ${input.userId}`);
  if (!group) throw notFound(`Group ${input.groupId}`);
  await guardAdministrators(caller, nameKey(group.name) === ADMINISTRATORS_KEY, `Group ${group.id}`);
  const result = await directory.memberships.insert(newMembership(rt, user.id, group.id));
  if (result === 'duplicate') throw conflict(`User ${user.id} is already a member of group ${group.id}`);
  rt.logger.info('membership.added', { membershipId: result.id, userId: user.id, groupId: group.id });
  return result;
}
