import { z } from 'zod';
import { FEEDBACK_SECRET_PREFIX, regionCatalog, SMTP_SUBMIT_ENDPOINT_PREFIX } from './region-catalog';

export const DEFAULT_DOH_URL = 'https://cloudflare-dns.com/dns-query';
const MAX_MESSAGE_BYTES_CEILING = 25 * 1024 * 1024; // message parts are buffered in memory and stored in slices
export const MIN_SECRET_LENGTH = 32; // 32 random characters are out of reach of guessing
const MAX_RECIPIENTS_CEILING = 1_000; // every recipient is a row written in the one acceptance batch

/** A comma-separated list of catalog region ids, in the order given; an unknown id is an error. */
export const regionIdList = z
  .string()
  .optional()
  .transform((value, ctx) =>
    (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)
      .flatMap((id) => {
        const known = regionCatalog.find((region) => region.id === id);
        if (!known) ctx.addIssue({ code: 'custom', message: `unknown region ${id}` });
        return known ? [known.id] : [];
      }),
  );

/** The enabled regions: those listed, or the whole catalog when none is. */
const enabledRegions = regionIdList.transform((ids) =>
  ids.length > 0 ? ids : regionCatalog.map((region) => region.id),
);

const hostName = z
  .string()
  .regex(
    /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'must be a lower-case DNS name',
  );

const secret = z.string().min(MIN_SECRET_LENGTH);

/** FEEDBACK_SECRET_<KEY> for every region of the catalog: one region's secret opens no other's endpoint. */
export type RegionFeedbackSecretName = `${typeof FEEDBACK_SECRET_PREFIX}${string}`;
const regionFeedbackSecrets = Object.fromEntries(
  regionCatalog.map((region) => [region.bindings.feedbackSecret, secret.optional()]),
) as Record<string, z.ZodOptional<typeof secret>>;

/** SMTP_SUBMIT_ENDPOINT_<KEY>: the host (or host:port) clients submit the region's mail to over SMTP. */
export type RegionSmtpEndpointName = `${typeof SMTP_SUBMIT_ENDPOINT_PREFIX}${string}`;
const smtpEndpoint = z
  .string()
  .regex(
    /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?(:([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5]))?$/,
    'must be a lower-case host name, optionally with :port',
  );
const regionSmtpEndpoints = Object.fromEntries(
  regionCatalog.map((region) => [region.bindings.smtpSubmitEndpoint, smtpEndpoint.optional()]),
) as Record<string, z.ZodOptional<typeof smtpEndpoint>>;

/** Settings both entries share, read from Node's environment or the Worker's bindings. */
export const settingsSchema = z.object({
  REGIONS: enabledRegions,
  BASE_DOMAIN: hostName.optional(),
  SENDER_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  /** How long a submission (its message, recipients' states and the answer replayed to retries) is kept. */
  SUBMISSION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** `off` writes no delivery events: none is listed, counted or posted to webhooks. */
  EVENT_LOG: z.enum(['on', 'off']).default('on'),
  /** How long the delivery event log keeps each event. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Every API call is signed; the unsigned mode is gone, and asking for it fails loudly at start. */
  AUTH: z
    .literal('signature', {
      error: 'AUTH=off was removed: run `npm run admin -- bootstrap --public-key <pem>` and sign requests',
    })
    .default('signature'),
  /** RFC 8484 DNS-over-HTTPS endpoint the SPF checks ask; plain http only for a resolver on this host. */
  DOH_URL: z
    .url({ protocol: /^https?$/ })
    .refine(
      (url) => url.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url),
      'must be https (http only on the loopback address)',
    )
    .default(DEFAULT_DOH_URL),
  /** Largest message accepted for submission, in bytes of the message as relayed. */
  SUBMIT_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(MAX_MESSAGE_BYTES_CEILING)
    .default(2 * 1024 * 1024),
  /** Most recipients (to, cc and bcc together) one submission may name. */
  SUBMIT_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(MAX_RECIPIENTS_CEILING).default(50),
  /** Sending quotas per tenancy per region, counted in recipients: a UTC day and a clock minute. */
  QUOTA_EMAILS_PER_DAY: z.coerce.number().int().min(1).default(50_000),
  QUOTA_EMAILS_PER_MINUTE: z.coerce.number().int().min(1).default(1_000),
  /** How long a recipient may wait for delivery before it expires. */
  DELIVERY_GIVE_UP_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** Soft bounces (4yz replies, delayed DSNs) of one address that make a SOFTBOUNCE suppression... */
  SOFT_BOUNCE_THRESHOLD: z.coerce.number().int().min(1).max(100).default(3),
  /** ...within this many days of the first one; then the count starts again. */
  SOFT_BOUNCE_WINDOW_DAYS: z.coerce.number().min(1).max(365).default(7),
  /** Where this service is reached from the internet: one-click unsubscribe links point here. */
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** HMAC-SHA256 key of unsubscribe tokens; never logged. Without it (and a base URL) no link is added. */
  UNSUBSCRIBE_SECRET: z.string().min(MIN_SECRET_LENGTH).optional(),
  /** Seals secrets kept at rest (webhook signing secrets, DKIM private keys); never logged. Without it webhooks and DKIM are off. */
  SECRETS_KEY: z.string().min(MIN_SECRET_LENGTH).optional(),
  /** A DNS zone the operator serves: DKIM and return-path answers then offer CNAME values under it. */
  DNS_DELEGATION_ZONE: hostName.optional(),
  /** Bearer secret the relay or an inbound hook presents to POST reports to /<region>/20220926/feedback. */
  FEEDBACK_SECRET: secret.optional(),
  /** The same for one region, in place of FEEDBACK_SECRET there. */
  ...regionFeedbackSecrets,
  ...regionSmtpEndpoints,
});

/** The region secrets are typed by their pattern: the catalog, not this file, lists the names. */
export type Settings = z.output<typeof settingsSchema> &
  Partial<Record<RegionFeedbackSecretName | RegionSmtpEndpointName, string>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseWith<S extends z.ZodType>(schema: S, source: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
