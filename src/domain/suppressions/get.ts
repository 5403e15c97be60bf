import { notFound } from '../errors';
import type { Caller, RegionHandle, Suppression } from '../ports';

export async function getSuppression(
  region: RegionHandle,
  caller: Caller,
  suppressionId: string,
): Promise<Suppression> {
  const suppression = await region.store.forTenancy(caller.tenancyId).suppressions.findById(suppressionId);
  if (!suppression) throw notFound(`Suppression ${suppressionId}`);
  return suppression;
}
