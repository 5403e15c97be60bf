import { DomainError, notFound } from '../../errors';
import { newOcid } from '../../ocid';
import type { Caller, DefinedTags, FreeformTags, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import { ancestry } from '../compartment-path';
import { MAX_COMPARTMENT_DEPTH } from '../names';
import { conflict } from '../outcome';
import { IDENTITY_REALM, type Compartment, type IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

export interface CreateCompartmentInput {
  /** The parent: the tenancy or another compartment. */
  compartmentId: string;
  name: string;
  description: string;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
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
    id: newOcid(rt.ids, 'compartment', IDENTITY_REALM, ''),
    parentId,
    name: input.name,
    description: input.description,
    lifecycleState: 'ACTIVE',
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  });
  if (result === 'duplicate') {
    throw conflict(`A compartment named ${input.name} already exists in ${parentId}`);
  }
  rt.logger.info('compartment.created', { compartmentId: result.id, parentId });
  return result;
}
