import { notFound } from '../errors';
import type { Caller } from '../ports';
import { guardAdministrators, isAdministrator } from './administrators';
import type { Directory, IdentityStore } from './ports';
import { requireGrant } from './require-grant';

/**
 * A user may always see and manage their own API keys and SMTP credentials; others need a grant on users.
 * Returns the caller's directory, where those credentials are kept.
 */
export async function requireCredentialAccess(
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  verb: 'read' | 'manage',
): Promise<Directory> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `User ${userId}`;
  if (!(await directory.users.findById(userId))) throw notFound(what);
  if (userId === caller.userId) return directory;
  await requireGrant(caller, verb, 'users', caller.tenancyId, what);
  if (verb === 'manage') await guardAdministrators(caller, await isAdministrator(directory, userId), what);
  return directory;
}
