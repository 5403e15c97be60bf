import { DAY_MS } from '../../values/durations';
import type { RegionHandle, Runtime } from '../ports';
import { purgeInBatches } from '../purge-in-batches';

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
  const purged = await purgeInBatches((limit) => region.store.purgeSubmissions(before, limit));
  const windows = await region.store.purgeQuotaWindows(new Date(now - QUOTA_WINDOWS_KEPT_MS));
  if (purged > 0 || windows > 0) {
    rt.logger.info('submissions.purged', { region: region.id, count: purged, quotaWindows: windows });
  }
  return purged;
}
