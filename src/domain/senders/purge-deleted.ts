import { DAY_MS } from '../../values/durations';
import type { RegionHandle, Runtime } from '../ports';
import { purgeInBatches } from '../purge-in-batches';

/**
 * Removes senders, email domains, DKIMs and return paths deleted more than `retentionDays` ago, and work
 * requests older than that, in bounded batches; returns how many.
 */
export async function purgeDeletedSenders(
  rt: Runtime,
  region: RegionHandle,
  retentionDays: number,
): Promise<number> {
  const before = new Date(rt.clock.now().getTime() - retentionDays * DAY_MS);
  const purged = await purgeInBatches((limit) => region.store.purgeDeletedSenders(before, limit));
  const domains = await purgeInBatches((limit) => region.store.emailDomainUpkeep.purge(before, limit));
  if (purged + domains > 0) {
    rt.logger.info('senders.purged', { region: region.id, count: purged, emailDomainRows: domains });
  }
  return purged + domains;
}
