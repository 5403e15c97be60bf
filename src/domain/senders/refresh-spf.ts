import type { RegionHandle, Resolver, Runtime } from '../ports';
import { checkRegionSpf } from '../spf/check-region';
import { newEtag } from './etag';

export interface SpfRefreshLimits {
  batchSize: number;
  maxBatches: number;
  maxConsecutiveTemperrors: number;
}

export const SPF_REFRESH_LIMITS: SpfRefreshLimits = {
  batchSize: 100, // one short SELECT per batch keeps each D1 statement small
  maxBatches: 20, // bounds one run to 2,000 senders per region; a bigger region is logged as truncated
  maxConsecutiveTemperrors: 5, // a resolver failing this often in a row is down: stop instead of timing out on each
};

export interface SpfRefreshReport {
  checked: number;
  changed: number;
  /** Senders whose check ended in temperror, which keep their previous value. */
  kept: number;
  complete: boolean;
}

/** Re-checks the SPF verdict of every live sender in the region, in bounded batches. */
export async function refreshSenderSpf(
  rt: Runtime,
  region: RegionHandle,
  resolver: Resolver,
  limits: SpfRefreshLimits = SPF_REFRESH_LIMITS,
): Promise<SpfRefreshReport> {
  const report: SpfRefreshReport = { checked: 0, changed: 0, kept: 0, complete: false };
  let afterId: string | undefined;
  let temperrorsInARow = 0;
  for (let batch = 0; batch < limits.maxBatches && !report.complete; batch++) {
    const senders = await region.store.liveSendersAfter(afterId, limits.batchSize);
    for (const sender of senders) {
      const verdict = await checkRegionSpf(resolver, region.descriptor, sender.emailAddress);
      report.checked += 1;
      if (verdict.result === 'temperror') {
        report.kept += 1;
        temperrorsInARow += 1;
        if (temperrorsInARow >= limits.maxConsecutiveTemperrors) {
          rt.logger.warn('spf.refresh.resolver-failing', { region: region.id, reason: verdict.reason });
          return report;
        }
        continue;
      }
      temperrorsInARow = 0;
      if (verdict.authorized === sender.isSpf) continue;
      const stamp = { etag: newEtag(rt.ids), timeUpdated: rt.clock.now() };
      if (await region.store.setSenderSpf(sender.id, verdict.authorized, stamp)) report.changed += 1;
    }
    report.complete = senders.length < limits.batchSize;
    afterId = senders.at(-1)?.id;
  }
  if (!report.complete)
    rt.logger.warn('spf.refresh.truncated', { region: region.id, checked: report.checked });
  rt.logger.info('spf.refreshed', { region: region.id, ...report });
  return report;
}
