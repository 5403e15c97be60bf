import { regionCatalog } from './region-catalog';
import type { RegionDescriptor } from '../values/region';
import type { RegionFeedbackSecretName, RegionSmtpEndpointName, Settings } from './settings';

/** The secret that authenticates reports for `region`: its own FEEDBACK_SECRET_<KEY>, else FEEDBACK_SECRET. */
export function feedbackSecretOf(settings: Settings, region: RegionDescriptor): string | undefined {
  const name = region.bindings.feedbackSecret as RegionFeedbackSecretName;
  return settings[name] ?? settings.FEEDBACK_SECRET;
}

/** The SMTP submission endpoint configured for `region` (SMTP_SUBMIT_ENDPOINT_<KEY>), if any. */
export function smtpSubmitEndpointOf(settings: Settings, region: RegionDescriptor): string | undefined {
  return settings[region.bindings.smtpSubmitEndpoint as RegionSmtpEndpointName];
}

/** Each catalog region's value of a per-region variable, for the regions that have one. */
export function byRegion(valueOf: (region: RegionDescriptor) => string | undefined): Map<string, string> {
  return new Map(
    regionCatalog.flatMap((region) => {
      const value = valueOf(region);
      return value === undefined ? [] : [[region.id, value] as const];
    }),
  );
}
