import { deliverDue } from '../domain/delivery/deliver-due';
import { errorSummary } from '../domain/errors';
import { purgeDeletedSenders } from '../domain/senders/purge-deleted';
import { refreshSenderSpf } from '../domain/senders/refresh-spf';
import { purgeOldSubmissions } from '../domain/submission/purge-old';
import type { Deps } from '../deps';

/** Rows one scheduled run relays per region: below worker-mailer's per-request timer ceiling (about 2,500). */
export const SCHEDULED_DELIVERY_BATCHES = 20;
/** Workers' delivery sweep; Node runs its own in-process worker instead. */
export const DELIVER_DUE_JOB = 'deliver-due';

export interface Job {
  name: string;
  cron: string;
  run(deps: Deps): Promise<void>;
}

/** Runs `task` for every enabled region; one region failing does not stop the others. */
async function forEachRegion(
  deps: Deps,
  job: string,
  task: (region: Awaited<ReturnType<Deps['regions']['open']>>) => Promise<unknown>,
): Promise<void> {
  for (const id of deps.regions.enabled) {
    try {
      await task(await deps.regions.open(id));
    } catch (error) {
      deps.runtime.logger.error('job.failed', { job, region: id, ...errorSummary(error) });
    }
  }
}

/** Every scheduled job; `wrangler.toml` lists the same cron expressions under `[triggers]`. */
export const jobs: readonly Job[] = [
  {
    name: 'purge-deleted-senders',
    cron: '17 * * * *',
    run: (deps) =>
      forEachRegion(deps, 'purge-deleted-senders', (region) =>
        purgeDeletedSenders(deps.runtime, region, deps.settings.SENDER_RETENTION_DAYS),
      ),
  },
  {
    name: 'purge-old-submissions',
    cron: '37 * * * *',
    run: (deps) =>
      forEachRegion(deps, 'purge-old-submissions', (region) =>
        purgeOldSubmissions(deps.runtime, region, deps.settings.SUBMISSION_RETENTION_DAYS),
      ),
  },
  {
    name: 'refresh-sender-spf',
    cron: '47 */6 * * *',
    run: (deps) =>
      forEachRegion(deps, 'refresh-sender-spf', (region) =>
        refreshSenderSpf(deps.runtime, region, deps.resolver),
      ),
  },
  {
    // Retries that came due and rows a crashed worker left leased.
    name: DELIVER_DUE_JOB,
    cron: '* * * * *',
    run: (deps) =>
      forEachRegion(deps, 'deliver-due', (region) =>
        deliverDue(deps.runtime, region, {
          limits: { maxBatches: SCHEDULED_DELIVERY_BATCHES },
          feedback: deps.feedback.delivery,
        }),
      ),
  },
];

export async function runScheduled(cron: string, deps: Deps): Promise<void> {
  for (const job of jobs.filter((j) => j.cron === cron)) await job.run(deps);
}
