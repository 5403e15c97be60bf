import { DAY_MS, HOUR_MS } from '../values/durations';
import type { AppDeps } from '../http/app';
import { byRegion, feedbackSecretOf, smtpSubmitEndpointOf } from '../config/region-variables';
import { regionCatalog } from '../config/region-catalog';
import type { Settings } from '../config/settings';
import type { DeliveryTrigger, Relay, Runtime, SecretBox } from '../domain/ports';
import { createDohResolver } from '../dns/doh-resolver';
import type { IdentityStore } from '../domain/identity/ports';
import type { SubmissionLimits } from '../domain/submission/limits';
import { signatureAuthenticator } from '../http/signing/verify-request';
import type { FeedbackConfig } from '../domain/feedback/feedback-config';
import { unsubscribeTokens } from '../domain/feedback/unsubscribe-token';
import type { JobDeps } from '../jobs/schedule';
import { systemRandomBytes } from '../platform/system';
import { fetchWebhookTransport } from '../platform/webhook-transport';
import { secretBox } from '../crypto/secret-box';
import type { DeliveryHooks } from '../domain/delivery/run';
import { authenticateCopies } from '../domain/email-domains/authenticate-copy';
import { returnPathAddresses } from '../domain/email-domains/return-path-address';
import type { WebhookDelivery, WebhookTransport } from '../domain/webhooks/ports';
import { createRegions, type OpenRegionRelay, type OpenRegionStore, type Regions } from '../domain/regions';

/** What both runtimes serve: the app's dependencies and what the scheduled jobs take of them. */
export type ServiceDeps = AppDeps & JobDeps;

/** For worlds that never deliver: using it is a bug, so it throws instead of reporting an outcome. */
const unwiredRelay: Relay = {
  host: undefined,
  send: () => Promise.reject(new Error('no relay is wired for this region')),
  close: () => Promise.resolve(),
};

const noDeliveryTrigger: DeliveryTrigger = { accepted: () => undefined };

const submissionLimitsOf = (settings: Settings): SubmissionLimits => ({
  maxMessageBytes: settings.SUBMIT_MAX_MESSAGE_BYTES,
  maxRecipients: settings.SUBMIT_MAX_RECIPIENTS,
  emailsPerDay: settings.QUOTA_EMAILS_PER_DAY,
  emailsPerMinute: settings.QUOTA_EMAILS_PER_MINUTE,
  giveUpMs: settings.DELIVERY_GIVE_UP_HOURS * HOUR_MS,
});

/** The soft-bounce policy, unsubscribe links and tokens, and each region's report secret. */
export function feedbackOf(settings: Settings): FeedbackConfig {
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
    returnPaths: settings.SECRETS_KEY === undefined ? undefined : returnPathAddresses(settings.SECRETS_KEY),
    reportSecrets: byRegion((region) => feedbackSecretOf(settings, region)),
  };
}

/** Webhooks post through `transport` (the runtime's fetch unless given) and seal their secrets under SECRETS_KEY; off without one. */
export function webhookDeliveryOf(
  settings: Settings,
  transport: WebhookTransport = fetchWebhookTransport(),
): WebhookDelivery | undefined {
  const secrets = secretsOf(settings);
  return secrets === undefined ? undefined : { transport, secrets };
}

/** Each copy from an email domain is signed with its DKIM and sent from its return path; nothing without SECRETS_KEY. */
export function deliveryHooksOf(settings: Settings, runtime: Runtime): DeliveryHooks {
  const keys = secretsOf(settings);
  if (!keys || settings.SECRETS_KEY === undefined) return {};
  const returnPaths = returnPathAddresses(settings.SECRETS_KEY);
  return { transformCopy: authenticateCopies(runtime, { keys, returnPaths }) };
}

/** What seals secrets at rest (webhook secrets, DKIM private keys): SECRETS_KEY, or nothing without one. */
export const secretsOf = (settings: Settings): SecretBox | undefined =>
  settings.SECRETS_KEY === undefined ? undefined : secretBox(settings.SECRETS_KEY);

/** The enabled regions, each opening its own store and relay on first use. */
export const regionsOf = (
  settings: Settings,
  openStore: OpenRegionStore,
  openRelay: OpenRegionRelay = () => unwiredRelay,
): Regions => createRegions(regionCatalog, settings.REGIONS, openStore, openRelay);

export interface ServiceParts {
  settings: Settings;
  runtime: Runtime;
  regions: Regions;
  identity: IdentityStore;
  /** Built by the caller when its delivery trigger needs it first; from settings otherwise. */
  feedback?: FeedbackConfig;
  deliveryTrigger?: DeliveryTrigger;
  mailbox?: AppDeps['mailbox'];
  webhooks?: WebhookDelivery | undefined;
  smtpListeners?: AppDeps['smtpListeners'];
}

/** The dependencies both entries build their app and jobs on; they differ only in the parts they pass. */
export function serviceDepsOf(parts: ServiceParts): ServiceDeps {
  const { settings, runtime, identity } = parts;
  const feedback = parts.feedback ?? feedbackOf(settings);
  return {
    runtime,
    regions: parts.regions,
    identity,
    deliveryTrigger: parts.deliveryTrigger ?? noDeliveryTrigger,
    submissionLimits: submissionLimitsOf(settings),
    feedback,
    deliveryFeedback: feedback.delivery,
    deliveryHooks: deliveryHooksOf(settings, runtime),
    webhooks: 'webhooks' in parts ? parts.webhooks : webhookDeliveryOf(settings),
    secrets: secretsOf(settings),
    dnsDelegationZone: settings.DNS_DELEGATION_ZONE,
    consoleSecret: settings.SECRETS_KEY,
    spfIncludes: regionCatalog.map((region) => region.spfInclude),
    retention: {
      senderDays: settings.SENDER_RETENTION_DAYS,
      submissionDays: settings.SUBMISSION_RETENTION_DAYS,
      eventDays: settings.EVENT_RETENTION_DAYS,
    },
    mailbox: parts.mailbox,
    smtpListeners: parts.smtpListeners,
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
