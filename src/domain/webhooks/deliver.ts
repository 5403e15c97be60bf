import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../values/durations';
import { errorSummary } from '../errors';
import { groupedWrites } from '../grouped-writes';
import { publicEvent } from '../events/public-event';
import type { RegionHandle, Runtime } from '../ports';
import type { ClaimedWebhookDelivery, WebhookDelivery, WebhookDeliveryResult } from './ports';
import { signedPost } from './post';

/** Waits between attempts; the last is repeated until the delivery gives up. */
export const WEBHOOK_RETRY_INTERVALS_MS = [
  5_000,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  2 * HOUR_MS,
  5 * HOUR_MS,
  10 * HOUR_MS,
] as const;

export interface WebhookLimits {
  /** A delivery is attempted until this long after its event, the last attempt at that time. */
  giveUpMs: number;
  /** A subscription whose every delivery failed for this long is disabled. */
  disableAfterMs: number;
  leaseMs: number;
  batchSize: number;
  maxBatches: number;
  /** Events turned into deliveries per subscription per pass. */
  fanOutLimit: number;
  concurrency: number;
  /** Answers recorded per write; a crash may post these again. */
  completionGroup: number;
  /** The longest an answer waits for its group to fill before it is written anyway. */
  completionDelayMs: number;
  retryIntervalsMs: readonly number[];
}

export const WEBHOOK_LIMITS: Readonly<WebhookLimits> = Object.freeze({
  giveUpMs: DAY_MS,
  disableAfterMs: 3 * DAY_MS,
  leaseMs: 2 * MINUTE_MS, // a post times out after 10 s; a crashed worker's claims come back after this
  batchSize: 50,
  maxBatches: 20,
  fanOutLimit: 1_000,
  concurrency: 8,
  completionGroup: 16,
  completionDelayMs: 200,
  retryIntervalsMs: WEBHOOK_RETRY_INTERVALS_MS,
});

export interface WebhookReport {
  /** The pass stopped at its bounds with work left: another pass should follow. */
  more: boolean;
  fannedOut: number;
  delivered: number;
  retrying: number;
  failed: number;
  disabled: number;
}

/** Where a failed attempt leaves the delivery: another try (never past the give-up time), or FAILED. */
function afterFailure(
  claimed: ClaimedWebhookDelivery,
  at: Date,
  intervals: readonly number[],
): Pick<WebhookDeliveryResult, 'state' | 'nextAttemptAt'> {
  if (at.getTime() >= claimed.giveUpAt.getTime()) return { state: 'FAILED', nextAttemptAt: null };
  const wait = intervals[Math.min(claimed.attempts, intervals.length - 1)] ?? DAY_MS;
  const next = Math.min(at.getTime() + wait, claimed.giveUpAt.getTime());
  return { state: 'PENDING', nextAttemptAt: new Date(next) };
}

/** Each sealed secret opened once per pass: many deliveries share a subscription. */
function openedSecrets(delivery: WebhookDelivery): (sealed: string) => Promise<string> {
  const opened = new Map<string, Promise<string>>();
  return (sealed) => {
    let secret = opened.get(sealed);
    if (!secret) opened.set(sealed, (secret = delivery.secrets.open(sealed)));
    return secret;
  };
}

async function attempt(
  rt: Runtime,
  delivery: WebhookDelivery,
  secretOf: (sealed: string) => Promise<string>,
  claimed: ClaimedWebhookDelivery,
  limits: WebhookLimits,
): Promise<WebhookDeliveryResult> {
  const base = { id: claimed.id, subscriptionId: claimed.subscriptionId };
  if (!claimed.event) {
    const at = rt.clock.now();
    return { ...base, state: 'FAILED', nextAttemptAt: null, status: null, error: 'event no longer kept', at };
  }
  const event = publicEvent(claimed.event);
  const payload = {
    type: `email.${claimed.event.eventType.toLowerCase()}`,
    timestamp: event.timeCreated,
    data: event,
  };
  let answer: { status: number } | { error: string };
  try {
    const secret = await secretOf(claimed.sealedSecret);
    answer = await signedPost(delivery.transport, claimed.url, secret, claimed.id, rt.clock.now(), payload);
  } catch (error) {
    const { error: name, detail } = errorSummary(error);
    answer = { error: `${name}: ${detail}` };
  }
  const at = rt.clock.now();
  if ('status' in answer && answer.status >= 200 && answer.status < 300) {
    return { ...base, state: 'DELIVERED', nextAttemptAt: null, status: answer.status, error: null, at };
  }
  const status = 'status' in answer ? answer.status : null;
  const error = 'error' in answer ? answer.error : `HTTP ${String(answer.status)}`;
  return { ...base, ...afterFailure(claimed, at, limits.retryIntervalsMs), status, error, at };
}

/** Runs `task` over `items` with at most `concurrency` at once, keeping their order in the results. */
async function inPool<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Counts recorded results, and says what failed and what was disabled. */
function count(
  rt: Runtime,
  region: RegionHandle,
  report: WebhookReport,
  results: readonly WebhookDeliveryResult[],
  disabled: readonly string[],
): void {
  for (const result of results) {
    if (result.state === 'DELIVERED') report.delivered += 1;
    else if (result.state === 'FAILED') report.failed += 1;
    else report.retrying += 1;
    if (result.state === 'DELIVERED') continue;
    rt.logger.warn('webhook.delivery-failed', {
      region: region.id,
      subscriptionId: result.subscriptionId,
      deliveryId: result.id,
      status: result.status,
      error: result.error,
      final: result.state === 'FAILED',
    });
  }
  for (const id of disabled) rt.logger.warn('webhook.disabled', { region: region.id, subscriptionId: id });
  report.disabled += disabled.length;
}

/**
 * One webhook pass of a region: new events become deliveries, then due deliveries are posted, signed,
 * each recorded with its answer; a subscription failing for days is disabled.
 */
export async function deliverWebhooks(
  rt: Runtime,
  region: RegionHandle,
  delivery: WebhookDelivery,
  overrides: Partial<WebhookLimits> = {},
): Promise<WebhookReport> {
  const limits = { ...WEBHOOK_LIMITS, ...overrides };
  const queue = region.store.webhookQueue;
  const report: WebhookReport = {
    more: false,
    fannedOut: 0,
    delivered: 0,
    retrying: 0,
    failed: 0,
    disabled: 0,
  };
  const start = rt.clock.now();
  report.fannedOut = await queue.fanOut(
    start,
    new Date(start.getTime() + limits.giveUpMs),
    limits.fanOutLimit,
  );
  const owner = `webhooks-${rt.ids.random(16)}`;
  const days = String(Math.round(limits.disableAfterMs / DAY_MS));
  const details = `Disabled: every delivery failed for ${days} days; enable it again once the endpoint answers`;
  // Answers are recorded in small groups as they come (a commit per answer would cost more than the post):
  // a crash sends again only the posts in flight and those of the group not yet written.
  const answers = groupedWrites<WebhookDeliveryResult>(
    { size: limits.completionGroup, delayMs: limits.completionDelayMs },
    async (group) => {
      const disableBefore = new Date(rt.clock.now().getTime() - limits.disableAfterMs);
      const disabled = await queue.complete(owner, group, { before: disableBefore, details });
      count(rt, region, report, group, disabled);
    },
  );
  const secrets = openedSecrets(delivery);
  const post = async (claimed: ClaimedWebhookDelivery) => {
    await answers.add(await attempt(rt, delivery, secrets, claimed, limits));
  };
  report.more = report.fannedOut >= limits.fanOutLimit;
  for (let batch = 0; ; batch++) {
    if (batch === limits.maxBatches) {
      report.more = true;
      break;
    }
    const now = rt.clock.now();
    const claimed = await queue.claimDue(
      owner,
      now,
      new Date(now.getTime() + limits.leaseMs),
      limits.batchSize,
    );
    if (claimed.length === 0) break;
    // A short batch is no sign of the end: a message's next event becomes due once its previous one ends.
    await inPool(claimed, limits.concurrency, post);
    await answers.flush();
  }
  return report;
}
