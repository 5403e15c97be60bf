import type { Caller, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import { requireCredentialAccess } from '../credential-access';
import { settle } from '../outcome';
import type { IdentityStore, SmtpCredential } from '../ports';

export async function listSmtpCredentials(
  identity: IdentityStore,
  caller: Caller,
  userId: string,
): Promise<SmtpCredential[]> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'read');
  return directory.smtpCredentials.list(userId);
}

/** Only the description changes; the password never does (create a new credential instead). */
export async function updateSmtpCredential(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  credentialId: string,
  input: { description?: string },
  ifMatch: string | undefined,
): Promise<SmtpCredential> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'manage');
  const changes = { ...input, etag: newEtag(rt.ids) };
  const updated = settle(
    await directory.smtpCredentials.update(userId, credentialId, changes, ifMatch),
    `SMTP credential ${credentialId}`,
  );
  rt.logger.info('smtp-credential.updated', { userId, smtpCredentialId: credentialId });
  return updated;
}

export async function deleteSmtpCredential(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  credentialId: string,
  ifMatch: string | undefined,
): Promise<void> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'manage');
  settle(
    await directory.smtpCredentials.delete(userId, credentialId, ifMatch),
    `SMTP credential ${credentialId}`,
  );
  rt.logger.info('smtp-credential.deleted', { userId, smtpCredentialId: credentialId });
}
