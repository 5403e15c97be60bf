import type { DeliveryFeedback } from '../delivery/deliver-due';
import type { UnsubscribeTokens } from './unsubscribe-token';

/** Everything the feedback loop needs, built once from settings by the composition root. */
export interface FeedbackConfig {
  delivery: DeliveryFeedback;
  /** Checks one-click tokens; absent when no unsubscribe secret is configured. */
  tokens: UnsubscribeTokens | undefined;
  /** The bearer secret of the report endpoint; absent: the endpoint refuses every report. */
  reportSecret: string | undefined;
}
