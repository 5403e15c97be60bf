import type { Caller } from '../../ports';
import { requireCredentialAccess } from '../credential-access';
import type { ApiKey, IdentityStore } from '../ports';

export async function listApiKeys(
  identity: IdentityStore,
  caller: Caller,
  userId: string,
): Promise<ApiKey[]> {
  const directory = identity.forTenancy(caller.tenancyId);
  await requireCredentialAccess(caller, directory, userId, 'read');
  return directory.apiKeys.list(userId);
}
