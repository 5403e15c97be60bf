import { invalid } from '../../errors';
import type { Caller } from '../../ports';
import type { Page } from '../../../values/page';
import type { Compartment, IdentityListOptions, IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

export interface CompartmentQuery {
  compartmentId: string;
  /** Every compartment below the tenancy instead of its direct children. */
  compartmentIdInSubtree?: boolean;
  name?: string;
  lifecycleState?: string;
}

export async function listCompartments(
  identity: IdentityStore,
  caller: Caller,
  query: CompartmentQuery,
  options: IdentityListOptions,
): Promise<Page<Compartment>> {
  const { compartmentId, compartmentIdInSubtree, ...filter } = query;
  await requireGrant(caller, 'inspect', 'compartments', compartmentId, `Compartment ${compartmentId}`);
  if (compartmentIdInSubtree && compartmentId !== caller.tenancyId) {
    throw invalid('compartmentIdInSubtree', 'can be true only when listing the tenancy');
  }
  const parent = compartmentIdInSubtree ? {} : { parentId: compartmentId };
  return identity.forTenancy(caller.tenancyId).compartments.list({ ...parent, ...filter }, options);
}
