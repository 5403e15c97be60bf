import type { ReturnPathAddresses } from '../email-domains/return-path-address';
import type { UnsubscribeLinks } from './list-unsubscribe';
import { DEFAULT_SOFT_BOUNCE_POLICY, type SoftBouncePolicy } from './policy';
import type { UnsubscribeTokens } from './unsubscribe-token';

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

/** Everything the feedback loop needs, built once from settings by the composition root. */
export interface FeedbackConfig {
  delivery: DeliveryFeedback;
  /** Checks one-click tokens; absent when no unsubscribe secret is configured. */
  tokens: UnsubscribeTokens | undefined;
  /** Reads which copy a bounce to a return-path address is about; absent without SECRETS_KEY. */
  returnPaths: ReturnPathAddresses | undefined;
  /** The report endpoint's bearer secret per region id; a region without one refuses every report. */
  reportSecrets: ReadonlyMap<string, string>;
}
