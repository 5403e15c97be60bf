import { notFound } from '../errors';
import type { Caller, RegionHandle, Runtime } from '../ports';
import { requireSuppressionGrant } from './tenancy-compartment';

/** Removes the address from the region's suppression list, so mail to it flows again. */
export async function deleteSuppression(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  suppressionId: string,
): Promise<void> {
  await requireSuppressionGrant(caller, 'manage', `Suppression ${suppressionId}`);
  const removed = await region.store.forTenancy(caller.tenancyId).suppressions.delete(suppressionId);
  if (!removed) throw notFound(`Suppression ${suppressionId}`);
  rt.logger.info('suppression.deleted', { region: region.id, suppressionId });
}
