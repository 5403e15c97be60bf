import type { Caller, Runtime } from '../../ports';
import { requireCredentialAccess } from '../credential-access';
import { settle } from '../outcome';
import type { IdentityStore } from '../ports';

export async function deleteSmtpCredential(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  credentialId: string,
  ifMatch: string | undefined,
): Promise<void> {
  const directory = identity.forTenancy(caller.tenancyId);
  await requireCredentialAccess(caller, directory, userId, 'manage');
  settle(
    await directory.smtpCredentials.delete(userId, credentialId, ifMatch),
    `SMTP credential ${credentialId}`,
  );
  rt.logger.info('smtp-credential.deleted', { userId, smtpCredentialId: credentialId });
}
