import { NO_UNSUBSCRIBE_FEEDBACK, type DeliveryFeedback } from '../feedback/feedback-config';
import type { RegionHandle, Runtime } from '../ports';
import { attemptDelivery } from './attempt';
import { claimBatch, type ClaimedBatch } from './claim';
import { completions, emptyReport, type DeliveryReport } from './complete';
import { DELIVERY_LIMITS, type DeliveryHooks, type DeliveryLimits, type DeliveryRun } from './run';

export interface DeliverDueOptions {
  limits?: Partial<DeliveryLimits>;
  feedback?: DeliveryFeedback;
  /** A per-copy transform and an outcome listener; none by default. */
  hooks?: DeliveryHooks;
  /** Stops the run between rows; rows not yet attempted are released. */
  signal?: AbortSignal;
}

/** Attempts a claimed batch in a few lanes at once, records every attempt, releases what it did not attempt. */
async function deliverBatch(run: DeliveryRun, batch: ClaimedBatch, report: DeliveryReport): Promise<void> {
  const { rt, limits, signal } = run;
  const recorded = completions(run, report);
  const pending = [...batch.rows];
  const unattempted: string[] = [];
  const lane = async (): Promise<void> => {
    for (let row = pending.shift(); row; row = pending.shift()) {
      const leaseLeft = batch.leaseUntil.getTime() - rt.clock.now().getTime();
      if (signal?.aborted || leaseLeft < limits.attemptBudgetMs) {
        unattempted.push(row.id);
        continue;
      }
      const body = row.suppressed ? undefined : await batch.bodies.get(row.submissionId);
      try {
        await recorded.record(await attemptDelivery(run, row, body));
      } finally {
        batch.bodies.done(row.submissionId);
      }
    }
  };
  const lanes = Array.from({ length: Math.min(limits.concurrency, batch.rows.length) }, lane);
  const settled = await Promise.allSettled(lanes);
  settled.push(...(await Promise.allSettled([recorded.flush()])));
  if (unattempted.length > 0) {
    await run.region.store.deliveries.release(unattempted, run.owner);
    report.released += unattempted.length;
  }
  const failure = settled.find((result) => result.status === 'rejected');
  // A store failure is a bug or an outage: surface it; the leases bring the rows back later.
  if (failure) throw failure.reason;
}

/**
 * Delivers due recipient rows of one region: claim a batch under a lease, attempt each copy through the
 * region's relay (one SMTP transaction per recipient), complete by recording where each attempt leaves its
 * row; batch after batch until nothing is due or the run's bound is reached.
 */
export async function deliverDue(
  rt: Runtime,
  region: RegionHandle,
  options: DeliverDueOptions = {},
): Promise<DeliveryReport> {
  const run: DeliveryRun = {
    rt,
    region,
    owner: `delivery-${rt.ids.random(20)}`,
    limits: { ...DELIVERY_LIMITS, ...options.limits },
    feedback: options.feedback ?? NO_UNSUBSCRIBE_FEEDBACK,
    hooks: options.hooks ?? {},
    signal: options.signal,
  };
  const report = emptyReport();
  for (let round = 0; round < run.limits.maxBatches; round++) {
    if (run.signal?.aborted) break;
    const batch = await claimBatch(run);
    report.claimed += batch.rows.length;
    if (batch.rows.length > 0) await deliverBatch(run, batch, report);
    if (batch.rows.length < run.limits.batchSize) {
      report.drained = true;
      break;
    }
  }
  return report;
}
