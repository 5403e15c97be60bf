import { DomainError } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import { requireCredentialAccess } from '../credential-access';
import { hashPassword } from '../../../crypto/password-hash';
import { newIdentityOcid } from '../new-records';
import type { IdentityStore, SmtpCredential } from '../ports';

export const MAX_SMTP_CREDENTIALS_PER_USER = 2; // OCI's limit
const PASSWORD_LENGTH = 32; // 160 bits from a 32-letter alphabet
const SALT_LENGTH = 26; // 130 bits

export interface NewSmtpCredential {
  credential: SmtpCredential;
  /** Shown once, in the create response; only its hash is kept. */
  password: string;
}

/** The username OCI issues: `<user OCID>@<tenancy OCID>.<2 characters>.com`. */
const usernameFor = (rt: Runtime, caller: Caller, userId: string): string =>
  `${userId}@${caller.tenancyId}.${rt.ids.random(2)}.com`;

export async function createSmtpCredential(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  description: string,
): Promise<NewSmtpCredential> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'manage');
  const password = rt.ids.random(PASSWORD_LENGTH);
  const result = await directory.smtpCredentials.insertWithin(
    {
      id: newIdentityOcid(rt, 'credential'),
      userId,
      username: usernameFor(rt, caller, userId),
      description,
      passwordHash: await hashPassword(password, rt.ids.random(SALT_LENGTH)),
      etag: newEtag(rt.ids),
      timeCreated: rt.clock.now(),
    },
    MAX_SMTP_CREDENTIALS_PER_USER,
  );
  if (result === 'limit') {
    throw new DomainError(
      'LimitExceeded',
      `A user can have at most ${MAX_SMTP_CREDENTIALS_PER_USER} SMTP credentials; delete one first`,
    );
  }
  rt.logger.info('smtp-credential.created', { userId, smtpCredentialId: result.id });
  return { credential: result, password };
}
