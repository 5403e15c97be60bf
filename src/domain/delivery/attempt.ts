import { unsubscribeUrl, withListUnsubscribe } from '../feedback/list-unsubscribe';
import type { ClaimedDelivery, DeliveryDecision, RelayMessage, RelayOutcome } from '../ports';
import { classifyAttempt } from './classify';
import { TRANSFORM_ATTEMPTS, type DeliveryRun } from './run';

/** One row's attempt: where it leaves the row, and the relay's answer when the copy was relayed. */
export interface Attempt {
  row: ClaimedDelivery;
  decision: DeliveryDecision;
  outcome: RelayOutcome | undefined;
}

/** Attempts made on the row so far, this one included when a relay was asked. */
export const attemptsMade = ({ row, outcome }: Attempt): number =>
  outcome ? row.attempts + 1 : row.attempts;

/** The copy for one recipient: the message with its own one-click unsubscribe link, then the run's transform. */
async function copyFor(run: DeliveryRun, row: ClaimedDelivery, body: string) {
  const { region, feedback, hooks } = run;
  const links = feedback.unsubscribe;
  let raw = body;
  if (links) {
    const token = await links.seal({
      region: region.id,
      tenancyId: row.tenancyId,
      recipient: row.recipient.toLowerCase(),
      sender: row.sender,
      messageId: row.messageId,
    });
    raw = withListUnsubscribe(body, unsubscribeUrl(links.baseUrl, token));
  }
  const copy: RelayMessage = { from: row.sender, to: row.recipient, raw, tenancyId: row.tenancyId };
  return hooks.transformCopy ? hooks.transformCopy(copy, row, run.region) : copy;
}

/** A copy that could not be made is not sent: retried without a reply code (no bounce is counted), then failed. */
function transformFailure({ rt, region }: DeliveryRun, row: ClaimedDelivery, error: unknown): RelayOutcome {
  const detail = error instanceof Error ? error.message : String(error);
  rt.logger.warn('delivery.copy-failed', { region: region.id, deliveryId: row.id, detail });
  const kind = row.attempts + 1 >= TRANSFORM_ATTEMPTS ? 'permanent' : 'transient';
  return { kind, code: undefined, enhanced: kind === 'permanent' ? '5.7.0' : '4.7.0', detail };
}

/** Relays one recipient's copy as one SMTP transaction and classifies the answer; a suppressed row is not sent. */
export async function attemptDelivery(
  run: DeliveryRun,
  row: ClaimedDelivery,
  body: string | undefined,
): Promise<Attempt> {
  const { rt, region, limits } = run;
  if (row.suppressed) return { row, decision: { state: 'SUPPRESSED' }, outcome: undefined };
  let outcome: RelayOutcome;
  if (body === undefined) {
    // A submission is written in one batch with its parts, so this is a damaged row: stop, do not retry.
    rt.logger.error('delivery.message-missing', { region: region.id, deliveryId: row.id });
    outcome = { kind: 'permanent', code: undefined, enhanced: '5.3.0', detail: 'message content missing' };
  } else {
    outcome = await copyFor(run, row, body).then(
      (copy) => region.relay.send(copy),
      (error: unknown) => transformFailure(run, row, error),
    );
  }
  const decision = classifyAttempt(
    outcome,
    row.attempts + 1,
    rt.clock.now(),
    row.giveUpAt,
    limits.retryIntervalsMs,
  );
  return { row, decision, outcome };
}
