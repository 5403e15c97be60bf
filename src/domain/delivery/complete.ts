import { classifyReply } from '../feedback/classify-reply';
import { recordBounce } from '../feedback/record-bounce';
import { suppressRecipient } from '../feedback/suppress-recipient';
import type { DeliveryCompletion, DeliveryDecision } from '../ports';
import type { Attempt } from './attempt';
import { logAttempt } from './attempt-log';
import type { DeliveryRun } from './run';

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

/**
 * Records attempts in groups, one transaction each (a commit per row would cost more than the send), then
 * feeds back what the relay said, counts each row in `report` and tells the run's outcome listener.
 */
export function completions(run: DeliveryRun, report: DeliveryReport) {
  const { rt, region, owner, limits, hooks } = run;
  const written: { attempt: Attempt; record: DeliveryCompletion }[] = [];
  let writing: Promise<void> = Promise.resolve();

  async function complete(group: readonly { attempt: Attempt; record: DeliveryCompletion }[]): Promise<void> {
    const applied = await region.store.deliveries.complete(
      owner,
      group.map(({ record }) => record),
    );
    for (const { attempt, record } of group) {
      const { row, decision, outcome } = attempt;
      if (!applied.has(row.id)) {
        report.leaseLost += 1;
        rt.logger.warn('delivery.lease-lost', { region: region.id, deliveryId: row.id });
        continue;
      }
      await feedBack(run, attempt);
      report[counterOf[decision.state]] += 1;
      hooks.onOutcome?.({
        region: region.id,
        deliveryId: row.id,
        tenancyId: row.tenancyId,
        messageId: row.messageId,
        sender: row.sender,
        recipient: row.recipient,
        decision,
        attempts: outcome ? row.attempts + 1 : row.attempts,
        code: outcome?.code,
        enhanced: outcome?.enhanced,
        detail: outcome?.detail,
        at: record.at,
      });
    }
  }

  /** Writes what was recorded so far, after the writes before it. */
  function flush(): Promise<void> {
    const group = written.splice(0);
    if (group.length > 0) writing = writing.then(() => complete(group));
    return writing;
  }

  return {
    /** Logs the attempt and queues its record; a full group is written before the next attempt starts. */
    async record(attempt: Attempt): Promise<void> {
      const { row, decision, outcome } = attempt;
      logAttempt(rt.logger, region.id, row, decision, outcome);
      written.push({
        attempt,
        record: {
          id: row.id,
          decision,
          attempted: outcome !== undefined,
          code: outcome?.code,
          enhanced: outcome?.enhanced,
          detail: outcome?.detail,
          at: rt.clock.now(),
        },
      });
      if (written.length >= limits.completionGroup) await flush();
    },
    flush,
  };
}
