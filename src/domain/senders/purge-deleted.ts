import { DAY_MS } from '../../values/durations';
import type { RegionHandle, Runtime } from '../ports';
import { purgeInBatches } from '../purge-in-batches';

/** Removes senders deleted more than `retentionDays` ago, in bounded batches; returns how many. */
export async function purgeDeletedSenders(
  rt: Runtime,
  region: RegionHandle,
  retentionDays: number,
): Promise<number> {
  const before = new Date(rt.clock.now().getTime() - retentionDays * DAY_MS);
  const purged = await purgeInBatches((limit) => region.store.purgeDeletedSenders(before, limit));
  if (purged > 0) rt.logger.info('senders.purged', { region: region.id, count: purged });
  return purged;
}
