import type { Caller, Runtime } from '../../ports';
import { newTaggedRecord, type Tags } from '../new-records';
import { conflict } from '../outcome';
import type { IdentityStore, Policy } from '../ports';
import { requireGrant } from '../require-grant';
import { policyHome } from './home';
import { resolveGrants } from './resolve-grants';

export interface CreatePolicyInput extends Tags {
  compartmentId: string;
  name: string;
  description: string;
  statements: string[];
  versionDate?: Date;
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
    ...newTaggedRecord(rt, 'policy', input),
    compartmentId: input.compartmentId,
    name: input.name,
    description: input.description,
    statements: input.statements,
    grants,
    versionDate: input.versionDate ?? null,
  });
  if (result === 'duplicate') throw conflict(`A policy named ${input.name} already exists in this tenancy`);
  rt.logger.info('policy.created', { policyId: result.id, compartmentId: input.compartmentId });
  return result;
}
