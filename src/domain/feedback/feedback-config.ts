import type { DeliveryFeedback } from '../delivery/deliver-due';
import type { UnsubscribeTokens } from './unsubscribe-token';

/** Everything the feedback loop needs, built once from settings by the composition root. */
export interface FeedbackConfig {
  delivery: DeliveryFeedback;
  /** Checks one-click tokens; absent when no unsubscribe secret is configured. */
  tokens: UnsubscribeTokens | undefined;
  /** The report endpoint's bearer secret per region id; a region without one refuses every report. */
  reportSecrets: ReadonlyMap<string, string>;
}
