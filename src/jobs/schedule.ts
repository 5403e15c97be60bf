import { deliverDue } from '../domain/delivery/deliver-due';
import type { DeliveryHooks } from '../domain/delivery/run';
import { checkDueRecords } from '../domain/email-domains/record-checks';
import type { DeliveryFeedback } from '../domain/feedback/feedback-config';
import { errorSummary } from '../domain/errors';
import type { RegionHandle, Resolver, Runtime } from '../domain/ports';
import type { Regions } from '../domain/regions';
import { purgeDeletedSenders } from '../domain/senders/purge-deleted';
import { refreshSenderSpf } from '../domain/senders/refresh-spf';
import { purgeOldSubmissions } from '../domain/submission/purge-old';
import { purgeOldEvents } from '../domain/events/purge-old';
import { deliverWebhooks } from '../domain/webhooks/deliver';
import type { WebhookDelivery } from '../domain/webhooks/ports';

/** Rows one scheduled run relays per region: below worker-mailer's per-request timer ceiling (about 2,500). */
export const SCHEDULED_DELIVERY_BATCHES = 20;

/** What the scheduled jobs use. */
export interface JobDeps {
  runtime: Runtime;
  regions: Regions;
  resolver: Resolver;
  retention: { senderDays: number; submissionDays: number; eventDays: number };
  deliveryFeedback: DeliveryFeedback;
  /** Authenticates each copy (DKIM, return path) before it is relayed. */
  deliveryHooks: DeliveryHooks;
  /** Undefined when webhooks are off (no SECRETS_KEY). */
  webhooks: WebhookDelivery | undefined;
}

export interface Job {
  name: string;
  cron: string;
  run(deps: JobDeps): Promise<void>;
}

/** Runs `task` for every enabled region; one region failing does not stop the others. */
async function forEachRegion(
  deps: JobDeps,
  job: string,
  task: (region: RegionHandle) => Promise<unknown>,
): Promise<void> {
  for (const id of deps.regions.enabled) {
    try {
      await task(await deps.regions.open(id));
    } catch (error) {
      deps.runtime.logger.error('job.failed', { job, region: id, ...errorSummary(error) });
    }
  }
}

const regionJob = (
  name: string,
  cron: string,
  task: (deps: JobDeps, region: RegionHandle) => Promise<unknown>,
): Job => ({ name, cron, run: (deps) => forEachRegion(deps, name, (region) => task(deps, region)) });

/** Upkeep both runtimes schedule by cron. */
export const maintenanceJobs: readonly Job[] = [
  regionJob('purge-deleted-senders', '17 * * * *', (deps, region) =>
    purgeDeletedSenders(deps.runtime, region, deps.retention.senderDays),
  ),
  regionJob('purge-old-submissions', '37 * * * *', (deps, region) =>
    purgeOldSubmissions(deps.runtime, region, deps.retention.submissionDays),
  ),
  regionJob('purge-old-events', '37 * * * *', (deps, region) =>
    purgeOldEvents(deps.runtime, region, deps.retention.eventDays),
  ),
  regionJob('refresh-sender-spf', '47 */6 * * *', (deps, region) =>
    refreshSenderSpf(deps.runtime, region, deps.resolver),
  ),
  // A DKIM record just published shows within a minute or two.
  regionJob('check-domain-records', '* * * * *', (deps, region) =>
    checkDueRecords(deps.runtime, region, deps),
  ),
];

/**
 * Workers' sweep for retries that came due and rows whose lease ran out; Node's in-process delivery worker
 * polls for the same itself.
 */
export const deliverySweep: Job = regionJob('deliver-due', '* * * * *', async (deps, region) => {
  await deliverDue(deps.runtime, region, {
    limits: { maxBatches: SCHEDULED_DELIVERY_BATCHES },
    feedback: deps.deliveryFeedback,
    hooks: deps.deliveryHooks,
  });
  if (deps.webhooks) await deliverWebhooks(deps.runtime, region, deps.webhooks);
});

/** Every cron job of the Worker; `wrangler.toml` lists the same cron expressions under `[triggers]`. */
export const workerJobs: readonly Job[] = [...maintenanceJobs, deliverySweep];

/** The Worker's `scheduled()`: runs the jobs that `cron` names. */
export async function runScheduled(cron: string, deps: JobDeps): Promise<void> {
  for (const job of workerJobs.filter((j) => j.cron === cron)) await job.run(deps);
}
