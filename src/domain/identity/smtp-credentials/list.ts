import type { Caller } from '../../ports';
import { requireCredentialAccess } from '../credential-access';
import type { IdentityStore, SmtpCredential } from '../ports';

export async function listSmtpCredentials(
  identity: IdentityStore,
  caller: Caller,
  userId: string,
): Promise<SmtpCredential[]> {
  const directory = identity.forTenancy(caller.tenancyId);
  await requireCredentialAccess(caller, directory, userId, 'read');
  return directory.smtpCredentials.list(userId);
}
