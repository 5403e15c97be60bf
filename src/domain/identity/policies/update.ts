import type { Caller, DefinedTags, FreeformTags, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import type { IdentityStore, Policy, PolicyChanges } from '../ports';
import { settle } from '../outcome';
import { getPolicy } from './get';
import { policyHome } from './home';
import { requireGrant } from '../require-grant';
import { resolveGrants } from './resolve-grants';

export interface UpdatePolicyInput {
  description?: string;
  statements?: string[];
  versionDate?: Date | null;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
}

/** Replaces what is given; new statements are checked exactly as at creation. */
export async function updatePolicy(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  policyId: string,
  input: UpdatePolicyInput,
  ifMatch: string | undefined,
): Promise<Policy> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `Policy ${policyId}`;
  const policy = await getPolicy(identity, caller, policyId);
  await requireGrant(caller, 'manage', 'policies', policy.compartmentId, what);
  const changes: PolicyChanges = { ...input, etag: newEtag(rt.ids) };
  if (input.statements) {
    const home = await policyHome(directory, caller.tenancyId, policy.compartmentId);
    changes.grants = await resolveGrants(directory, caller.tenancyId, home, input.statements);
  }
  const updated = settle(await directory.policies.update(policyId, changes, ifMatch), what);
  rt.logger.info('policy.updated', { policyId });
  return updated;
}
