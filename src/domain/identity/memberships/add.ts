import { notFound } from '../../errors';
import { newOcid } from '../../ocid';
import type { Caller, Runtime } from '../../ports';
import { guardAdministrators } from '../administrators';
import { ADMINISTRATORS_KEY, nameKey } from '../names';
import { conflict } from '../outcome';
import { IDENTITY_REALM, type IdentityStore, type Membership } from '../ports';
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
  const result = await directory.memberships.insert({
    id: newOcid(rt.ids, 'groupmembership', IDENTITY_REALM, ''),
    userId: user.id,
    groupId: group.id,
    timeCreated: rt.clock.now(),
  });
  if (result === 'duplicate') throw conflict(`User ${user.id} is already a member of group ${group.id}`);
  rt.logger.info('membership.added', { membershipId: result.id, userId: user.id, groupId: group.id });
  return result;
}
