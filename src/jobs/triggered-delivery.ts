import { deliverDue } from '../domain/delivery/deliver-due';
import type { DeliveryHooks } from '../domain/delivery/run';
import { errorSummary } from '../domain/errors';
import type { DeliveryFeedback } from '../domain/feedback/feedback-config';
import type { DeliveryTrigger, RegionHandle, Runtime } from '../domain/ports';
import { deliverWebhooks } from '../domain/webhooks/deliver';
import type { WebhookDelivery } from '../domain/webhooks/ports';

/** A submit's own recipients fit in one batch; the cron sweep takes whatever is left. */
const TRIGGERED_DELIVERY_BATCHES = 1;
/** Enough rounds for each message's events in order (accepted, then relayed or deferred, then a reaction). */
const TRIGGERED_WEBHOOK_BATCHES = 4;

/**
 * Workers' delivery: each accepted submission's recipients are relayed after the answer, through
 * `runAfterAnswer` (the invocation's `waitUntil`), then the region's webhooks are posted; the cron's
 * `deliverySweep` takes retries and the rest.
 */
export function deliverAfterAnswer(
  rt: Runtime,
  feedback: DeliveryFeedback,
  webhooks: WebhookDelivery | undefined,
  hooks: DeliveryHooks,
  runAfterAnswer: (run: Promise<unknown>) => void,
): DeliveryTrigger {
  const run = async (region: RegionHandle) => {
    await deliverDue(rt, region, { limits: { maxBatches: TRIGGERED_DELIVERY_BATCHES }, feedback, hooks });
    if (webhooks) await deliverWebhooks(rt, region, webhooks, { maxBatches: TRIGGERED_WEBHOOK_BATCHES });
  };
  return {
    accepted(region) {
      runAfterAnswer(
        run(region).catch((error: unknown) => {
          rt.logger.error('delivery.run-failed', { region: region.id, ...errorSummary(error) });
        }),
      );
    },
  };
}
