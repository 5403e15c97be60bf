import { notFound } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { ADMINISTRATORS_GROUP, ADMINISTRATORS_KEY, nameKey } from '../names';
import { conflict, settle } from '../outcome';
import type { IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

/** Deletes an empty group (OCI's rule). The Administrators group cannot be deleted. */
export async function deleteGroup(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  groupId: string,
  ifMatch: string | undefined,
): Promise<void> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `Group ${groupId}`;
  await requireGrant(caller, 'manage', 'groups', caller.tenancyId, what);
  const group = await directory.groups.findById(groupId);
  if (!group) throw notFound(what);
  if (nameKey(group.name) === ADMINISTRATORS_KEY)
    throw conflict(`The ${ADMINISTRATORS_GROUP} group cannot be deleted`);
  if (await directory.memberships.exists({ groupId })) {
    throw conflict(`${what} still has members; remove them first`);
  }
  settle(await directory.groups.delete(groupId, ifMatch), what);
  rt.logger.info('group.deleted', { groupId });
}
