import { notFound } from '../../errors';
import type { Caller } from '../../ports';
import type { IdentityStore, User } from '../ports';
import { requireGrant } from '../require-grant';

export async function getUser(identity: IdentityStore, caller: Caller, userId: string): Promise<User> {
  const what = `User ${userId}`;
  await requireGrant(caller, 'read', 'users', caller.tenancyId, what);
  const user = await identity.forTenancy(caller.tenancyId).users.findById(userId);
  if (!user) throw notFound(what);
  return user;
}
