import { notFound } from '../../errors';
import type { Caller } from '../../ports';
import type { Compartment, IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

/** The tenancy seen as the root compartment: its own parent, always active. */
async function rootCompartment(identity: IdentityStore, tenancyId: string): Promise<Compartment> {
  const tenancy = await identity.findTenancy(tenancyId);
  if (!tenancy) throw notFound(`Compartment ${tenancyId}`);
  return {
    id: tenancy.id,
    parentId: tenancy.id,
    name: tenancy.name,
    description: tenancy.name,
    lifecycleState: 'ACTIVE',
    freeformTags: {},
    definedTags: {},
    etag: tenancy.id,
    timeCreated: tenancy.timeCreated,
  };
}

export async function getCompartment(
  identity: IdentityStore,
  caller: Caller,
  id: string,
): Promise<Compartment> {
  const what = `Compartment ${id}`;
  if (id === caller.tenancyId) {
    await requireGrant(caller, 'read', 'compartments', id, what);
    return rootCompartment(identity, id);
  }
  const compartment = await identity.forTenancy(caller.tenancyId).compartments.findById(id);
  if (!compartment) throw notFound(what);
  await requireGrant(caller, 'read', 'compartments', compartment.parentId, what);
  return compartment;
}
