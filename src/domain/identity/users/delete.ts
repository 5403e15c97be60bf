import { notFound } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { conflict, settle } from '../outcome';
import type { IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

/** Deletes a user who is in no group (OCI's rule); their API keys stop working with this call. */
export async function deleteUser(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  ifMatch: string | undefined,
): Promise<void> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `User ${userId}`;
  await requireGrant(caller, 'manage', 'users', caller.tenancyId, what);
  if (!(await directory.users.findById(userId))) throw notFound(what);
  if (await directory.memberships.exists({ userId })) {
    throw conflict(`${what} is still in a group; remove it from its groups first`);
  }
  settle(await directory.users.delete(userId, ifMatch), what);
  rt.logger.info('user.deleted', { userId });
}
