import type { Caller, Runtime } from '../../ports';
import { settle } from '../outcome';
import type { IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';
import { getPolicy } from './get';

export async function deletePolicy(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  policyId: string,
  ifMatch: string | undefined,
): Promise<void> {
  const what = `Policy ${policyId}`;
  const policy = await getPolicy(identity, caller, policyId);
  await requireGrant(caller, 'manage', 'policies', policy.compartmentId, what);
  settle(await identity.forTenancy(caller.tenancyId).policies.delete(policyId, ifMatch), what);
  rt.logger.info('policy.deleted', { policyId });
}
