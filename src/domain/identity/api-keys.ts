import { DomainError, notFound } from '../errors';
import type { Caller, Runtime } from '../ports';
import { requireCredentialAccess } from './credential-access';
import { conflict } from './outcome';
import type { ApiKey, IdentityStore } from './ports';
import { parsePublicKey } from './public-key';

export const MAX_API_KEYS_PER_USER = 3; // OCI's limit

export async function listApiKeys(
  identity: IdentityStore,
  caller: Caller,
  userId: string,
): Promise<ApiKey[]> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'read');
  return directory.apiKeys.list(userId);
}

/** Adds a user's API key: a 2048-bit or larger RSA public key, at most three per user. */
export async function uploadApiKey(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  keyPem: string,
): Promise<ApiKey> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'manage');
  const key = await parsePublicKey(keyPem);
  const result = await directory.apiKeys.insertWithin(
    { userId, fingerprint: key.fingerprint, keyValue: key.pem, timeCreated: rt.clock.now() },
    MAX_API_KEYS_PER_USER,
  );
  if (result === 'duplicate') throw conflict(`User ${userId} already has the key ${key.fingerprint}`);
  if (result === 'limit') {
    throw new DomainError('LimitExceeded', `A user can have at most ${MAX_API_KEYS_PER_USER} API keys`);
  }
  rt.logger.info('api-key.uploaded', { userId, fingerprint: key.fingerprint });
  return result;
}

/** Requests signed with this key fail from the next one on. */
export async function deleteApiKey(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  fingerprint: string,
): Promise<void> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'manage');
  if (!(await directory.apiKeys.delete(userId, fingerprint))) throw notFound(`API key ${fingerprint}`);
  rt.logger.info('api-key.deleted', { userId, fingerprint });
}
