import type { RegionHandle, Runtime } from '../ports';
import { PURGE_BATCH_SIZE, PURGE_MAX_BATCHES } from '../senders/purge-deleted';

const DAY_MS = 86_400_000;
/** A day's window is over after one day; a second keeps it readable while a refusal explains itself. */
const QUOTA_WINDOWS_KEPT_MS = 2 * DAY_MS;

/**
 * Removes submissions older than `retentionDays` whose recipients are all final (message, recipients and
 * the answer kept for retries go with them), and the sending-quota windows that are over. Bounded per
 * run; the next run continues. Returns how many submissions went.
 */
export async function purgeOldSubmissions(
  rt: Runtime,
  region: RegionHandle,
  retentionDays: number,
): Promise<number> {
  const now = rt.clock.now().getTime();
  const before = new Date(now - retentionDays * DAY_MS);
  let purged = 0;
  for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
    const removed = await region.store.purgeSubmissions(before, PURGE_BATCH_SIZE);
    purged += removed;
    if (removed < PURGE_BATCH_SIZE) break;
  }
  const windows = await region.store.purgeQuotaWindows(new Date(now - QUOTA_WINDOWS_KEPT_MS));
  if (purged > 0 || windows > 0) {
    rt.logger.info('submissions.purged', { region: region.id, count: purged, quotaWindows: windows });
  }
  return purged;
}
