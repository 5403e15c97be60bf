import { DAY_MS } from './domain/durations';
import type { AppDeps } from './app';
import { byRegion, feedbackSecretOf, smtpSubmitEndpointOf } from './config/region-variables';
import { regionCatalog } from './config/region-catalog';
import type { Settings } from './config/settings';
import type { CaptureMailboxReader, DeliveryTrigger, Relay, Runtime } from './domain/ports';
import { createDohResolver } from './dns/doh-resolver';
import type { IdentityStore } from './domain/identity/ports';
import type { SubmissionLimits } from './domain/submission/limits';
import { signatureAuthenticator } from './http/signing/verify-request';
import type { FeedbackConfig } from './domain/feedback/feedback-config';
import { unsubscribeTokens } from './domain/feedback/unsubscribe-token';
import { systemRandomBytes } from './platform/system';
import { createRegions, type OpenRegionRelay, type OpenRegionStore } from './regions';

export interface Deps extends AppDeps {
  settings: Settings;
}

/** How an entry delivers: each region's relay, what wakes delivery, and the capture mailbox when it is on. */
export interface DeliveryWiring {
  openRelay?: OpenRegionRelay;
  deliveryTrigger?: DeliveryTrigger;
  mailbox?: CaptureMailboxReader;
}

/** For worlds that never deliver: using it is a bug, so it throws instead of reporting an outcome. */
const unwiredRelay: Relay = {
  host: undefined,
  send: () => Promise.reject(new Error('no relay is wired for this region')),
  close: () => Promise.resolve(),
};

const noDeliveryTrigger: DeliveryTrigger = { accepted: () => undefined };

const HOUR_MS = 3_600_000;

const submissionLimitsOf = (settings: Settings): SubmissionLimits => ({
  maxMessageBytes: settings.SUBMIT_MAX_MESSAGE_BYTES,
  maxRecipients: settings.SUBMIT_MAX_RECIPIENTS,
  emailsPerDay: settings.QUOTA_EMAILS_PER_DAY,
  emailsPerMinute: settings.QUOTA_EMAILS_PER_MINUTE,
  giveUpMs: settings.DELIVERY_GIVE_UP_HOURS * HOUR_MS,
});

function feedbackOf(settings: Settings): FeedbackConfig {
  const tokenSecret = settings.UNSUBSCRIBE_SECRET;
  const tokens = tokenSecret === undefined ? undefined : unsubscribeTokens(tokenSecret, systemRandomBytes);
  const baseUrl = settings.PUBLIC_BASE_URL;
  return {
    delivery: {
      softBounces: {
        threshold: settings.SOFT_BOUNCE_THRESHOLD,
        windowMs: settings.SOFT_BOUNCE_WINDOW_DAYS * DAY_MS,
      },
      unsubscribe: tokens && baseUrl ? { baseUrl, seal: (claims) => tokens.seal(claims) } : undefined,
    },
    tokens,
    reportSecrets: byRegion((region) => feedbackSecretOf(settings, region)),
  };
}

/** The composition root: both entries build their world here and differ only in how a store opens. */
export function composeDeps(
  settings: Settings,
  runtime: Runtime,
  openStore: OpenRegionStore,
  identity: IdentityStore,
  wiring: DeliveryWiring = {},
): Deps {
  return {
    settings,
    runtime,
    regions: createRegions(
      regionCatalog,
      settings.REGIONS,
      openStore,
      wiring.openRelay ?? (() => unwiredRelay),
    ),
    deliveryTrigger: wiring.deliveryTrigger ?? noDeliveryTrigger,
    submissionLimits: submissionLimitsOf(settings),
    feedback: feedbackOf(settings),
    mailbox: wiring.mailbox,
    identity,
    authenticator: signatureAuthenticator(identity, runtime),
    baseDomain: settings.BASE_DOMAIN,
    smtpEndpoints: byRegion((region) => smtpSubmitEndpointOf(settings, region)),
    // Called through a closure: Workers refuse a detached `fetch` ("Illegal invocation").
    resolver: createDohResolver({
      url: settings.DOH_URL,
      fetch: (url, init) => fetch(url, init),
      clock: runtime.clock,
    }),
  };
}
