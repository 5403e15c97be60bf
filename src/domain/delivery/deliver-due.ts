import type {
  ClaimedDelivery,
  DeliveryCompletion,
  DeliveryDecision,
  RegionHandle,
  RelayOutcome,
  Runtime,
} from '../ports';
import { classifyReply } from '../feedback/classify-reply';
import { unsubscribeUrl, withListUnsubscribe, type UnsubscribeLinks } from '../feedback/list-unsubscribe';
import { DEFAULT_SOFT_BOUNCE_POLICY, type SoftBouncePolicy } from '../feedback/policy';
import { recordBounce } from '../feedback/record-bounce';
import { suppressRecipient } from '../feedback/suppress-recipient';
import { BLACKHOLE_DOMAIN, isBlackholeAddress, scenarioOf, simulate } from '../simulator';
import { logAttempt } from './attempt-log';
import { classifyAttempt } from './classify';
import { RETRY_INTERVALS_MS } from './retry-schedule';

export interface DeliveryLimits {
  batchSize: number;
  maxBatches: number;
  concurrency: number;
  leaseMs: number;
  /** An attempt starts only while at least this much of the lease is left. */
  attemptBudgetMs: number;
  /** Attempts recorded per write; a crash loses at most this many records (those rows are sent again). */
  completionGroup: number;
  /** Message bytes a batch reads up front in one query; larger batches read the rest one by one. */
  prefetchBytes: number;
  retryIntervalsMs: readonly number[];
}

export const DELIVERY_LIMITS: Readonly<DeliveryLimits> = Object.freeze({
  batchSize: 100, // one claiming UPDATE per 100 rows keeps each D1 statement small
  maxBatches: 50, // bounds one run to 5,000 rows; the caller runs again while rows remain
  concurrency: 8, // a few more sends in flight than the relay pool has connections keeps them busy
  leaseMs: 10 * 60_000, // a crashed worker's rows come back after this
  attemptBudgetMs: 5 * 60_000, // connect, greeting and four replies at the relay's longest timeouts
  completionGroup: 20, // amortizes the commit; bounds what a crash can send twice
  prefetchBytes: 16 * 1024 * 1024, // a batch of small messages in one read, without holding many big ones
  retryIntervalsMs: RETRY_INTERVALS_MS,
});

/** What delivery feeds back: repeated soft bounces, and the one-click unsubscribe link each copy gets. */
export interface DeliveryFeedback {
  softBounces: SoftBouncePolicy;
  /** Absent when no public base URL or secret is configured: copies then go out without the link. */
  unsubscribe: UnsubscribeLinks | undefined;
}

export const NO_UNSUBSCRIBE_FEEDBACK: Readonly<DeliveryFeedback> = Object.freeze({
  softBounces: DEFAULT_SOFT_BOUNCE_POLICY,
  unsubscribe: undefined,
});

/** The remote host a relay names in its reply ("host mx.example.com[192.0.2.1] said: ..."), if any. */
const REMOTE_HOST = /\bhost ([a-z0-9.-]+\.[a-z]{2,})\[/i;

export interface DeliverDueOptions {
  limits?: Partial<DeliveryLimits>;
  feedback?: DeliveryFeedback;
  /** Stops the run between rows; rows not yet attempted are released. */
  signal?: AbortSignal;
}

export interface DeliveryReport {
  claimed: number;
  delivered: number;
  failed: number;
  expired: number;
  suppressed: number;
  retrying: number;
  /** Claimed but not attempted (stopped, or too little lease left): released for the next run. */
  released: number;
  /** Attempted, but the lease had been reclaimed: the other worker's record stands. */
  leaseLost: number;
  /** True when the last claim found fewer due rows than a batch: nothing is due now. */
  drained: boolean;
}

const counterOf = {
  DELIVERED: 'delivered',
  FAILED: 'failed',
  EXPIRED: 'expired',
  SUPPRESSED: 'suppressed',
  QUEUED: 'retrying',
} as const satisfies Record<DeliveryDecision['state'], keyof DeliveryReport>;

/** The bodies a batch needs: most read up front in one go, the rest on demand; dropped after their last recipient. */
async function bodyCache(region: RegionHandle, rows: readonly ClaimedDelivery[], prefetchBytes: number) {
  const remaining = new Map<string, number>();
  for (const row of rows) remaining.set(row.submissionId, (remaining.get(row.submissionId) ?? 0) + 1);
  const needed = rows.filter((row) => !row.suppressed).map((row) => row.submissionId);
  const prefetched = await region.store.deliveries.messagesOf(needed, prefetchBytes);
  const loaded = new Map<string, Promise<string | undefined>>(
    [...prefetched].map(([id, body]) => [id, Promise.resolve(body)]),
  );
  return {
    get(submissionId: string): Promise<string | undefined> {
      let body = loaded.get(submissionId);
      if (!body) {
        body = region.store.deliveries.messageOf(submissionId);
        loaded.set(submissionId, body);
      }
      return body;
    },
    done(submissionId: string): void {
      const left = (remaining.get(submissionId) ?? 1) - 1;
      remaining.set(submissionId, left);
      if (left <= 0) loaded.delete(submissionId);
    },
  };
}

/**
 * Claims due recipient rows of one region under a lease, relays each through the region's relay (one
 * SMTP transaction per recipient), and records where each attempt leaves it.
 */
export async function deliverDue(
  rt: Runtime,
  region: RegionHandle,
  options: DeliverDueOptions = {},
): Promise<DeliveryReport> {
  const limits = { ...DELIVERY_LIMITS, ...options.limits };
  const owner = `delivery-${rt.ids.random(20)}`;
  const report: DeliveryReport = {
    claimed: 0,
    delivered: 0,
    failed: 0,
    expired: 0,
    suppressed: 0,
    retrying: 0,
    released: 0,
    leaseLost: 0,
    drained: false,
  };
  const queue = region.store.deliveries;
  const feedback = options.feedback ?? NO_UNSUBSCRIBE_FEEDBACK;

  /** The copy for one recipient: the message plus its own one-click unsubscribe link. */
  async function copyFor(row: ClaimedDelivery, body: string): Promise<string> {
    const links = feedback.unsubscribe;
    if (!links) return body;
    const token = await links.seal({
      region: region.id,
      tenancyId: row.tenancyId,
      recipient: row.recipient.toLowerCase(),
      sender: row.sender,
      messageId: row.messageId,
    });
    return withListUnsubscribe(body, unsubscribeUrl(links.baseUrl, token));
  }

  /** Replies the relay gave for applied completions: hard bounces suppress, soft ones are counted. */
  async function applyReplies(group: readonly DeliveryCompletion[], applied: Set<string>): Promise<void> {
    for (const completion of group) {
      const reaction = afterDelivery.get(completion.id);
      afterDelivery.delete(completion.id);
      if (reaction && applied.has(completion.id)) {
        const { row, reason } = reaction;
        await suppressRecipient(rt, region, {
          tenancyId: row.tenancyId,
          emailAddress: row.recipient,
          reason,
          errorDetail: `simulated ${reason === 'COMPLAINT' ? 'complaint' : 'one-click unsubscribe'}`,
          errorSource: BLACKHOLE_DOMAIN,
          messageId: row.messageId,
          via: 'simulator',
        });
      }
      const context = replies.get(completion.id);
      replies.delete(completion.id);
      if (!context || !applied.has(completion.id)) continue;
      const { row, outcome } = context;
      const verdict = classifyReply({ code: outcome.code, enhanced: outcome.enhanced, text: outcome.detail });
      const simulated = scenarioOf(row.recipient) !== undefined;
      // The host a relay names as the one that refused, else whoever gave the reply.
      const replier = simulated ? BLACKHOLE_DOMAIN : region.relay.host;
      await recordBounce(rt, region, feedback.softBounces, {
        tenancyId: row.tenancyId,
        recipient: row.recipient,
        messageId: row.messageId,
        verdict,
        detail: outcome.detail,
        source: REMOTE_HOST.exec(outcome.detail)?.[1]?.toLowerCase() ?? replier ?? null,
        via: simulated ? 'simulator' : 'relay',
      });
    }
  }
  // Only replies with an SMTP code say anything about the recipient; a refused connection is ours.
  const replies = new Map<string, { row: ClaimedDelivery; outcome: RelayOutcome }>();
  // Simulator recipients who complain or unsubscribe once their copy is delivered.
  const afterDelivery = new Map<string, { row: ClaimedDelivery; reason: 'COMPLAINT' | 'UNSUBSCRIBE' }>();

  async function attempt(row: ClaimedDelivery, body: string | undefined) {
    if (row.suppressed) return { decision: { state: 'SUPPRESSED' } as const, outcome: undefined };
    let outcome: RelayOutcome;
    const scenario = scenarioOf(row.recipient);
    if (scenario) {
      const simulation = simulate(scenario);
      outcome = simulation.outcome;
      if (simulation.then) afterDelivery.set(row.id, { row, reason: simulation.then });
    } else if (isBlackholeAddress(row.recipient)) {
      outcome = { kind: 'sent', code: undefined, enhanced: undefined, detail: 'accepted, not relayed' };
    } else if (body === undefined) {
      // A submission is written in one batch with its parts, so this is a damaged row: stop, do not retry.
      rt.logger.error('delivery.message-missing', { region: region.id, deliveryId: row.id });
      outcome = { kind: 'permanent', code: undefined, enhanced: '5.3.0', detail: 'message content missing' };
    } else {
      const raw = await copyFor(row, body);
      outcome = await region.relay.send({
        from: row.sender,
        to: row.recipient,
        raw,
        tenancyId: row.tenancyId,
      });
    }
    const decision = classifyAttempt(
      outcome,
      row.attempts + 1,
      rt.clock.now(),
      row.giveUpAt,
      limits.retryIntervalsMs,
    );
    return { decision, outcome };
  }

  // Completions are written in groups, one transaction each: a commit per row would cost more than the send.
  const written: DeliveryCompletion[] = [];
  let writing: Promise<void> = Promise.resolve();
  function flush(): Promise<void> {
    const group = written.splice(0);
    if (group.length === 0) return writing;
    writing = writing.then(async () => {
      const applied = await queue.complete(owner, group);
      await applyReplies(group, applied);
      for (const completion of group) {
        if (applied.has(completion.id)) {
          report[counterOf[completion.decision.state]] += 1;
        } else {
          report.leaseLost += 1;
          rt.logger.warn('delivery.lease-lost', { region: region.id, deliveryId: completion.id });
        }
      }
    });
    return writing;
  }

  async function deliverOne(row: ClaimedDelivery, body: string | undefined): Promise<void> {
    const { decision, outcome } = await attempt(row, body);
    logAttempt(rt.logger, region.id, row, decision, outcome);
    if (outcome?.code !== undefined && outcome.kind !== 'sent') replies.set(row.id, { row, outcome });
    written.push({
      id: row.id,
      decision,
      attempted: outcome !== undefined,
      code: outcome?.code,
      enhanced: outcome?.enhanced,
      detail: outcome?.detail,
      at: rt.clock.now(),
    });
    if (written.length >= limits.completionGroup) await flush();
  }

  async function deliverBatch(rows: ClaimedDelivery[], leaseUntil: Date): Promise<void> {
    const pending = [...rows].sort((a, b) => a.submissionId.localeCompare(b.submissionId));
    const bodies = await bodyCache(region, pending, limits.prefetchBytes);
    const unattempted: string[] = [];
    const lane = async (): Promise<void> => {
      for (let row = pending.shift(); row; row = pending.shift()) {
        const leaseLeft = leaseUntil.getTime() - rt.clock.now().getTime();
        if (options.signal?.aborted || leaseLeft < limits.attemptBudgetMs) {
          unattempted.push(row.id);
          continue;
        }
        const body = row.suppressed ? undefined : await bodies.get(row.submissionId);
        try {
          await deliverOne(row, body);
        } finally {
          bodies.done(row.submissionId);
        }
      }
    };
    const lanes = Array.from({ length: Math.min(limits.concurrency, rows.length) }, lane);
    const settled = await Promise.allSettled(lanes);
    settled.push(...(await Promise.allSettled([flush()])));
    if (unattempted.length > 0) {
      await queue.release(unattempted, owner);
      report.released += unattempted.length;
    }
    const failure = settled.find((result) => result.status === 'rejected');
    // A store failure is a bug or an outage: surface it; the leases bring the rows back later.
    if (failure) throw failure.reason;
  }

  for (let batch = 0; batch < limits.maxBatches; batch++) {
    if (options.signal?.aborted) break;
    const now = rt.clock.now();
    const leaseUntil = new Date(now.getTime() + limits.leaseMs);
    const rows = await queue.claimDue(owner, now, leaseUntil, limits.batchSize);
    report.claimed += rows.length;
    if (rows.length > 0) await deliverBatch(rows, leaseUntil);
    if (rows.length < limits.batchSize) {
      report.drained = true;
      break;
    }
  }
  return report;
}
