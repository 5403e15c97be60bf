import { DomainError, notFound } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { ancestry } from '../compartment-path';
import { MAX_COMPARTMENT_DEPTH } from '../names';
import { newTaggedRecord, type Tags } from '../new-records';
import { conflict } from '../outcome';
import type { Compartment, IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

export interface CreateCompartmentInput extends Tags {
  /** The parent: the tenancy or another compartment. */
  compartmentId: string;
  name: string;
  description: string;
}

export async function createCompartment(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  input: CreateCompartmentInput,
): Promise<Compartment> {
  const directory = identity.forTenancy(caller.tenancyId);
  const parentId = input.compartmentId;
  await requireGrant(caller, 'manage', 'compartments', parentId, `Compartment ${parentId}`);
  if (parentId !== caller.tenancyId) {
    const parent = await directory.compartments.findById(parentId);
    if (parent?.lifecycleState !== 'ACTIVE') throw notFound(`Compartment ${parentId}`);
  }
  const depth = (await ancestry(directory, caller.tenancyId, parentId)).length;
  if (depth > MAX_COMPARTMENT_DEPTH) {
    throw new DomainError('LimitExceeded', `Compartments nest at most ${MAX_COMPARTMENT_DEPTH} levels deep`);
  }
  const result = await directory.compartments.insert({
    ...newTaggedRecord(rt, 'compartment', input),
    parentId,
    name: input.name,
    description: input.description,
    lifecycleState: 'ACTIVE',
  });
  if (result === 'duplicate') {
    throw conflict(`A compartment named ${input.name} already exists in ${parentId}`);
  }
  rt.logger.info('compartment.created', { compartmentId: result.id, parentId });
  return result;
}
