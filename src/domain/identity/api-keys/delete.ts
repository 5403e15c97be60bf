import { notFound } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { requireCredentialAccess } from '../credential-access';
import type { IdentityStore } from '../ports';

/** Requests signed with this key fail from the next one on. */
export async function deleteApiKey(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
  fingerprint: string,
): Promise<void> {
  const directory = identity.forTenancy(caller.tenancyId);
  await requireCredentialAccess(caller, directory, userId, 'manage');
  if (!(await directory.apiKeys.delete(userId, fingerprint))) throw notFound(`API key ${fingerprint}`);
  rt.logger.info('api-key.deleted', { userId, fingerprint });
}
