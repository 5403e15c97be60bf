import type { RegionHandle, Resolver, Runtime } from '../ports';
import { checkRegionSpf } from '../spf/check-region';
import { newEtag } from '../../values/etag';

export interface SpfRefreshLimits {
  batchSize: number;
  maxBatches: number;
  maxConsecutiveTemperrors: number;
}

export const SPF_REFRESH_LIMITS: SpfRefreshLimits = {
  batchSize: 100, // one short SELECT per batch keeps each D1 statement small
  maxBatches: 20, // bounds one run to 2,000 senders per region; the next run starts with the least recently checked
  maxConsecutiveTemperrors: 5, // a resolver failing this often in a row is down: stop instead of timing out on each
};

export interface SpfRefreshReport {
  checked: number;
  changed: number;
  /** Senders whose check ended in temperror, which keep their previous value. */
  kept: number;
  complete: boolean;
}

/** Re-checks the SPF verdict of the region's live senders, least recently checked first, in bounded batches. */
export async function refreshSenderSpf(
  rt: Runtime,
  region: RegionHandle,
  resolver: Resolver,
  limits: SpfRefreshLimits = SPF_REFRESH_LIMITS,
): Promise<SpfRefreshReport> {
  const report: SpfRefreshReport = { checked: 0, changed: 0, kept: 0, complete: false };
  const runStart = rt.clock.now();
  let temperrorsInARow = 0;
  for (let batch = 0; batch < limits.maxBatches && !report.complete; batch++) {
    const senders = await region.store.sendersDueForSpf(runStart, limits.batchSize);
    for (const sender of senders) {
      const verdict = await checkRegionSpf(resolver, region.descriptor, sender.emailAddress);
      const inconclusive = verdict.result === 'temperror';
      report.checked += 1;
      const changed = await region.store.recordSpfCheck(sender.id, {
        isSpf: inconclusive ? undefined : verdict.authorized,
        checkedAt: rt.clock.now(),
        etag: newEtag(rt.ids),
      });
      if (changed) report.changed += 1;
      if (!inconclusive) {
        temperrorsInARow = 0;
        continue;
      }
      report.kept += 1;
      temperrorsInARow += 1;
      if (temperrorsInARow >= limits.maxConsecutiveTemperrors) {
        rt.logger.warn('spf.refresh.resolver-failing', { region: region.id, reason: verdict.reason });
        return report;
      }
    }
    report.complete = senders.length < limits.batchSize;
  }
  if (!report.complete)
    rt.logger.warn('spf.refresh.truncated', { region: region.id, checked: report.checked });
  rt.logger.info('spf.refreshed', { region: region.id, ...report });
  return report;
}
