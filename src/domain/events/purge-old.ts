import { DAY_MS } from '../../values/durations';
import type { RegionHandle, Runtime } from '../ports';
import { purgeInBatches } from '../purge-in-batches';

/**
 * Removes delivery events, and webhook deliveries finished, older than `retentionDays`, bounded per run;
 * returns how many events went.
 */
export async function purgeOldEvents(
  rt: Runtime,
  region: RegionHandle,
  retentionDays: number,
): Promise<number> {
  const before = new Date(rt.clock.now().getTime() - retentionDays * DAY_MS);
  const purged = await purgeInBatches((limit) => region.store.purgeEvents(before, limit));
  const posted = await purgeInBatches((limit) => region.store.webhookQueue.purgeFinished(before, limit));
  if (purged > 0 || posted > 0) {
    rt.logger.info('events.purged', { region: region.id, count: purged, webhookDeliveries: posted });
  }
  return purged;
}
