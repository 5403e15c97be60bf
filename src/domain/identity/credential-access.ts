import { notFound } from '../errors';
import type { Caller } from '../ports';
import { guardAdministrators, isAdministrator } from './administrators';
import type { Directory } from './ports';
import { requireGrant } from './require-grant';

/** A user may always see and manage their own API keys and SMTP credentials; others need a grant on users. */
export async function requireCredentialAccess(
  caller: Caller,
  directory: Directory,
  userId: string,
  verb: 'read' | 'manage',
): Promise<void> {
  const what = `User ${userId}`;
  if (!(await directory.users.findById(userId))) throw notFound(what);
  if (userId === caller.userId) return;
  await requireGrant(caller, verb, 'users', caller.tenancyId, what);
  if (verb === 'manage') await guardAdministrators(caller, await isAdministrator(directory, userId), what);
}
