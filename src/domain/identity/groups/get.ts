import { notFound } from '../../errors';
import type { Caller } from '../../ports';
import type { Group, IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

export async function getGroup(identity: IdentityStore, caller: Caller, groupId: string): Promise<Group> {
  const what = `Group ${groupId}`;
  await requireGrant(caller, 'read', 'groups', caller.tenancyId, what);
  const group = await identity.forTenancy(caller.tenancyId).groups.findById(groupId);
  if (!group) throw notFound(what);
  return group;
}
