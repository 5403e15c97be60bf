import { notFound } from '../../errors';
import type { Caller } from '../../ports';
import type { IdentityStore, Policy } from '../ports';
import { requireGrant } from '../require-grant';

export async function getPolicy(identity: IdentityStore, caller: Caller, policyId: string): Promise<Policy> {
  const what = `Policy ${policyId}`;
  const policy = await identity.forTenancy(caller.tenancyId).policies.findById(policyId);
  if (!policy) throw notFound(what);
  await requireGrant(caller, 'read', 'policies', policy.compartmentId, what);
  return policy;
}
