import { notFound } from '../errors';
import type { Caller, RegionHandle, Suppression } from '../ports';
import { requireSuppressionGrant } from './tenancy-compartment';

export async function getSuppression(
  region: RegionHandle,
  caller: Caller,
  suppressionId: string,
): Promise<Suppression> {
  await requireSuppressionGrant(caller, 'read', `Suppression ${suppressionId}`);
  const suppression = await region.store.forTenancy(caller.tenancyId).suppressions.findById(suppressionId);
  if (!suppression) throw notFound(`Suppression ${suppressionId}`);
  return suppression;
}
