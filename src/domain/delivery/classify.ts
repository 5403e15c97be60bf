import type { DeliveryDecision, RelayOutcome } from '../ports';
import { nextAttempt, RETRY_INTERVALS_MS } from './retry-schedule';

/**
 * Where one attempt leaves a row: sent is DELIVERED, permanent is FAILED, transient is retried on the
 * schedule until the give-up time, then EXPIRED. `attempts` counts this attempt.
 */
export function classifyAttempt(
  outcome: RelayOutcome,
  attempts: number,
  now: Date,
  giveUpAt: Date,
  schedule: readonly number[] = RETRY_INTERVALS_MS,
): DeliveryDecision {
  switch (outcome.kind) {
    case 'sent':
      return { state: 'DELIVERED' };
    case 'permanent':
      return { state: 'FAILED' };
    case 'transient': {
      const next = nextAttempt(now, attempts, giveUpAt, schedule);
      return next === 'give-up' ? { state: 'EXPIRED' } : { state: 'QUEUED', nextAttemptAt: next };
    }
  }
}

/** OCI's relay-log `errorType` for a decision; undefined when the message went out. */
export function errorTypeOf(decision: DeliveryDecision): string | undefined {
  switch (decision.state) {
    case 'DELIVERED':
      return undefined;
    case 'QUEUED':
      return 'Transient failure';
    case 'FAILED':
      return 'Permanent failure';
    case 'EXPIRED':
      return 'Expired';
    case 'SUPPRESSED':
      return 'Recipient suppressed';
  }
}
