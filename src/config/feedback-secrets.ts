import type { RegionDescriptor } from './region-catalog';
import type { RegionFeedbackSecretName, Settings } from './settings';

/** The secret that authenticates reports for `region`: its own FEEDBACK_SECRET_<KEY>, else FEEDBACK_SECRET. */
export function feedbackSecretOf(settings: Settings, region: RegionDescriptor): string | undefined {
  const name = region.bindings.feedbackSecret as RegionFeedbackSecretName;
  return settings[name] ?? settings.FEEDBACK_SECRET;
}
