import type { RegionHandle, Runtime } from '../ports';

export const PURGE_BATCH_SIZE = 500; // one DELETE per batch keeps each statement short on D1
export const PURGE_MAX_BATCHES = 20; // bounds one run; the next run continues

const DAY_MS = 86_400_000;

/** Removes senders deleted more than `retentionDays` ago, in bounded batches; returns how many. */
export async function purgeDeletedSenders(
  rt: Runtime,
  region: RegionHandle,
  retentionDays: number,
): Promise<number> {
  const before = new Date(rt.clock.now().getTime() - retentionDays * DAY_MS);
  let purged = 0;
  for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
    const removed = await region.store.purgeDeletedSenders(before, PURGE_BATCH_SIZE);
    purged += removed;
    if (removed < PURGE_BATCH_SIZE) break;
  }
  if (purged > 0) rt.logger.info('senders.purged', { region: region.id, count: purged });
  return purged;
}
