import { classifyReply } from '../feedback/classify-reply';
import { recordBounce } from '../feedback/record-bounce';
import { suppressRecipient } from '../feedback/suppress-recipient';
import type { DeliveryCompletion, DeliveryDecision } from '../ports';
import { attemptsMade, type Attempt } from './attempt';
import { logAttempt } from './attempt-log';
import type { DeliveryOutcome, DeliveryRun } from './run';
import { attemptEvent, reactionOf, recordReaction } from '../events/record';
import { groupedWrites } from '../grouped-writes';

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

export const emptyReport = (): DeliveryReport => ({
  claimed: 0,
  delivered: 0,
  failed: 0,
  expired: 0,
  suppressed: 0,
  retrying: 0,
  released: 0,
  leaseLost: 0,
  drained: false,
});

const counterOf = {
  DELIVERED: 'delivered',
  FAILED: 'failed',
  EXPIRED: 'expired',
  SUPPRESSED: 'suppressed',
  QUEUED: 'retrying',
} as const satisfies Record<DeliveryDecision['state'], keyof DeliveryReport>;

/** The remote host a relay names in its reply ("host mx.example.com[192.0.2.1] said: ..."), if any. */
const REMOTE_HOST = /\bhost ([a-z0-9.-]+\.[a-z]{2,})\[/i;

/** What an applied attempt feeds back: a refusal with an SMTP code is a bounce; a reported reaction suppresses. */
async function feedBack({ rt, region, feedback }: DeliveryRun, { row, outcome }: Attempt): Promise<void> {
  if (!outcome) return;
  // Who answered: a relay names the host that refused; else the simulator, or the relay's own host.
  const replier = outcome.answeredBy?.host ?? region.relay.host;
  const via = outcome.answeredBy?.via ?? 'relay';
  if (outcome.then) {
    await suppressRecipient(rt, region, {
      tenancyId: row.tenancyId,
      emailAddress: row.recipient,
      reason: outcome.then.reason,
      errorDetail: outcome.then.detail,
      errorSource: replier ?? null,
      messageId: row.messageId,
      via,
    });
    await recordReaction(rt, region, {
      tenancyId: row.tenancyId,
      eventType: reactionOf[outcome.then.reason],
      messageId: row.messageId,
      sender: row.sender,
      recipient: row.recipient,
      detail: outcome.then.detail,
      reportedBy: replier ?? null,
    });
  }
  // Only replies with an SMTP code say anything about the recipient; a refused connection is ours.
  if (outcome.code === undefined || outcome.kind === 'sent') return;
  await recordBounce(rt, region, feedback.softBounces, {
    tenancyId: row.tenancyId,
    recipient: row.recipient,
    messageId: row.messageId,
    verdict: classifyReply({ code: outcome.code, enhanced: outcome.enhanced, text: outcome.detail }),
    detail: outcome.detail,
    source: REMOTE_HOST.exec(outcome.detail)?.[1]?.toLowerCase() ?? replier ?? null,
    via,
  });
}

/** What an attempt leaves on its row, and the event it writes with it. */
function completionOf(run: DeliveryRun, attempt: Attempt, at: Date): DeliveryCompletion {
  const { row, decision, outcome } = attempt;
  return {
    id: row.id,
    submissionId: row.submissionId,
    event: attemptEvent(run.region, attempt, run.rt.ids, at),
    decision,
    attempted: outcome !== undefined,
    code: outcome?.code,
    enhanced: outcome?.enhanced,
    detail: outcome?.detail,
    at,
  };
}

/** What the outcome listener hears of an attempt once its record is written. */
function outcomeOf(region: string, attempt: Attempt, at: Date): DeliveryOutcome {
  const { row, decision, outcome } = attempt;
  return {
    region,
    deliveryId: row.id,
    tenancyId: row.tenancyId,
    messageId: row.messageId,
    sender: row.sender,
    recipient: row.recipient,
    decision,
    attempts: attemptsMade(attempt),
    code: outcome?.code,
    enhanced: outcome?.enhanced,
    detail: outcome?.detail,
    at,
  };
}

interface PendingCompletion {
  attempt: Attempt;
  record: DeliveryCompletion;
}

/** Writes a group in one transaction; each row the run still held is fed back, counted and announced. */
async function completeGroup(
  run: DeliveryRun,
  report: DeliveryReport,
  group: readonly PendingCompletion[],
): Promise<void> {
  const { rt, region, owner, hooks } = run;
  const applied = await region.store.deliveries.complete(
    owner,
    group.map(({ record }) => record),
  );
  for (const { attempt, record } of group) {
    if (!applied.has(attempt.row.id)) {
      report.leaseLost += 1;
      rt.logger.warn('delivery.lease-lost', { region: region.id, deliveryId: attempt.row.id });
      continue;
    }
    if (record.event) rt.events?.committed(region.id, attempt.row.tenancyId, [record.event]);
    await feedBack(run, attempt);
    report[counterOf[attempt.decision.state]] += 1;
    hooks.onOutcome?.(outcomeOf(region.id, attempt, record.at));
  }
}

/** The complete step of a batch: attempts are logged at once and written in groups, in order. */
export interface Completions {
  /** Logs the attempt and queues its record; a full group is written before the next attempt starts. */
  record(attempt: Attempt): Promise<void>;
  /** Writes what was recorded so far, after the writes before it; rejects if a group failed to write. */
  flush(): Promise<void>;
}

/**
 * Records attempts in groups of `completionGroup`, one transaction each, or after `completionDelayMs` when
 * the group fills slowly (sends stalling beside them), then feeds back what the relay said, counts each row
 * in `report` and tells the run's outcome listener.
 */
export function completions(run: DeliveryRun, report: DeliveryReport): Completions {
  const writes = groupedWrites<PendingCompletion>(
    { size: run.limits.completionGroup, delayMs: run.limits.completionDelayMs },
    (group) => completeGroup(run, report, group),
  );
  return {
    record(attempt) {
      logAttempt(run.rt.logger, run.region.id, attempt);
      return writes.add({ attempt, record: completionOf(run, attempt, run.rt.clock.now()) });
    },
    flush: () => writes.flush(),
  };
}
