import { newOcid } from '../../ocid';
import type { Caller, DefinedTags, FreeformTags, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import { conflict } from '../outcome';
import { IDENTITY_REALM, type IdentityStore, type Policy } from '../ports';
import { requireGrant } from '../require-grant';
import { policyHome } from './home';
import { resolveGrants } from './resolve-grants';

export interface CreatePolicyInput {
  compartmentId: string;
  name: string;
  description: string;
  statements: string[];
  versionDate?: Date;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
}

export async function createPolicy(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  input: CreatePolicyInput,
): Promise<Policy> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `Compartment ${input.compartmentId}`;
  await requireGrant(caller, 'manage', 'policies', input.compartmentId, what);
  const home = await policyHome(directory, caller.tenancyId, input.compartmentId);
  const grants = await resolveGrants(directory, caller.tenancyId, home, input.statements);
  const result = await directory.policies.insert({
    id: newOcid(rt.ids, 'policy', IDENTITY_REALM, ''),
    compartmentId: input.compartmentId,
    name: input.name,
    description: input.description,
    statements: input.statements,
    grants,
    versionDate: input.versionDate ?? null,
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  });
  if (result === 'duplicate') throw conflict(`A policy named ${input.name} already exists in this tenancy`);
  rt.logger.info('policy.created', { policyId: result.id, compartmentId: input.compartmentId });
  return result;
}
