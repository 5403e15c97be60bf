import type { Logger } from '../ports';
import { attemptsMade, type Attempt } from './attempt';
import { errorTypeOf } from './classify';

/** The event every relay attempt writes, with OCI's outbound-relayed log fields. */
const RELAYED_EVENT = 'relayed';

/** One JSON line per attempt: envelope, reply and verdict; never the body or relay credentials. */
export function logAttempt(logger: Logger, region: string, attempt: Attempt): void {
  const { row, decision, outcome } = attempt;
  const errorType = errorTypeOf(decision);
  const fields = {
    action: 'relayed',
    region,
    messageId: row.messageId,
    deliveryId: row.id,
    sender: row.sender,
    recipient: row.recipient,
    attempt: attemptsMade(attempt),
    state: decision.state,
    smtpStatus: outcome?.code === undefined ? undefined : outcome.detail,
    errorType,
    errorDetail: errorType && outcome?.code === undefined ? outcome?.detail : undefined,
    nextAttemptAt: decision.state === 'QUEUED' ? decision.nextAttemptAt.toISOString() : undefined,
  };
  if (errorType === undefined || decision.state === 'SUPPRESSED') logger.info(RELAYED_EVENT, fields);
  else logger.warn(RELAYED_EVENT, fields);
}
