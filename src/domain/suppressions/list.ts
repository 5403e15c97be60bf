import type { Caller, RegionHandle, Suppression, SuppressionFilter } from '../ports';
import type { ListOptions, Page } from '../../values/page';
import { assertTenancyCompartment, requireSuppressionGrant } from './tenancy-compartment';

export async function listSuppressions(
  region: RegionHandle,
  caller: Caller,
  compartmentId: string,
  filter: SuppressionFilter,
  options: ListOptions,
): Promise<Page<Suppression>> {
  assertTenancyCompartment(caller, compartmentId);
  await requireSuppressionGrant(caller, 'inspect', `Compartment ${compartmentId}`);
  return region.store.forTenancy(caller.tenancyId).suppressions.list(filter, options);
}
