import { deliverDue } from '../domain/delivery/deliver-due';
import { errorSummary } from '../domain/errors';
import type { DeliveryFeedback } from '../domain/feedback/feedback-config';
import type { DeliveryTrigger, Runtime } from '../domain/ports';

/** A submit's own recipients fit in one batch; the cron sweep takes whatever is left. */
const TRIGGERED_DELIVERY_BATCHES = 1;

/**
 * Workers' delivery: each accepted submission's recipients are relayed after the answer, through
 * `runAfterAnswer` (the invocation's `waitUntil`); the cron's `deliverySweep` takes retries and the rest.
 */
export function deliverAfterAnswer(
  rt: Runtime,
  feedback: DeliveryFeedback,
  runAfterAnswer: (run: Promise<unknown>) => void,
): DeliveryTrigger {
  return {
    accepted(region) {
      runAfterAnswer(
        deliverDue(rt, region, { limits: { maxBatches: TRIGGERED_DELIVERY_BATCHES }, feedback }).catch(
          (error: unknown) => {
            rt.logger.error('delivery.run-failed', { region: region.id, ...errorSummary(error) });
          },
        ),
      );
    },
  };
}
