import { z } from 'zod';

export const IMPLICIT_TLS_PORT = 465;
export const SUBMISSION_PORT = 587;
/** Real relay URLs are a few hundred characters; anything longer is a mistake. */
export const MAX_RELAY_URL_LENGTH = 2_048;

/** Where and how to reach an SMTP relay; `auth` holds secrets and is never logged. */
export interface RelayEndpoint {
  host: string;
  port: number;
  /** implicit: TLS from the first byte (smtps://); starttls: STARTTLS required before anything else (smtp://). */
  tls: 'implicit' | 'starttls';
  auth: { user: string; pass: string } | undefined;
}

const dnsName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ipv4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

const partsSchema = z.object({
  protocol: z.enum(['smtp:', 'smtps:'], { error: 'must start with smtp:// or smtps://' }),
  hostname: z
    .string()
    .transform((host) => host.toLowerCase())
    .refine((host) => dnsName.test(host) || ipv4.test(host), 'host must be a DNS name or an IPv4 address'),
  port: z.string().refine((port) => port === '' || Number(port) >= 1, 'port must be 1 to 65535'),
  username: z.string(),
  password: z.string(),
  pathname: z.enum(['', '/'], { error: 'must not have a path' }),
  search: z.literal('', { error: 'must not have a query' }),
  hash: z.literal('', { error: 'must not have a fragment' }),
});

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** `smtps://user:pass@host[:465]` or `smtp://user:pass@host[:587]`; reserved characters in credentials percent-encoded. */
export const relayUrlSchema = z
  .string()
  .max(MAX_RELAY_URL_LENGTH)
  .transform((value, ctx): RelayEndpoint => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      // The parser's own message repeats the input, credentials included.
      ctx.addIssue({ code: 'custom', message: 'is not a URL' });
      return z.NEVER;
    }
    const parts = partsSchema.safeParse(url);
    if (!parts.success) {
      for (const issue of parts.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    }
    const { protocol, hostname, port, username, password } = parts.data;
    const user = decode(username);
    const pass = decode(password);
    if (user === undefined || pass === undefined) {
      ctx.addIssue({ code: 'custom', message: 'credentials are not valid percent-encoding' });
      return z.NEVER;
    }
    if (!user !== !pass) {
      ctx.addIssue({ code: 'custom', message: 'credentials need both a user name and a password' });
      return z.NEVER;
    }
    const implicit = protocol === 'smtps:';
    return {
      host: hostname,
      port: port ? Number(port) : implicit ? IMPLICIT_TLS_PORT : SUBMISSION_PORT,
      tls: implicit ? 'implicit' : 'starttls',
      auth: user ? { user, pass } : undefined,
    };
  });

export type RelayUrlResult = { ok: true; endpoint: RelayEndpoint } | { ok: false; problem: string };

/** Parses a relay URL; a problem never repeats the URL, so it is safe to log. */
export function parseRelayUrl(value: string): RelayUrlResult {
  const parsed = relayUrlSchema.safeParse(value);
  if (parsed.success) return { ok: true, endpoint: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((issue) => issue.message).join('; ') };
}

/** The endpoint as a URL fit for logs: credentials replaced. */
export function describeRelay(endpoint: RelayEndpoint): string {
  const scheme = endpoint.tls === 'implicit' ? 'smtps' : 'smtp';
  return `${scheme}://${endpoint.auth ? '[redacted]@' : ''}${endpoint.host}:${endpoint.port}`;
}

/** `text` with the credentials of any smtp:// or smtps:// URL in it replaced. */
export function redactRelayUrls(text: string): string {
  return text.replace(/\b(smtps?:\/\/)[^\s]*@/gi, '$1[redacted]@');
}

/** The secrets an endpoint holds, for scrubbing text a relay might echo them into. */
export function endpointSecrets(endpoint: RelayEndpoint): string[] {
  return endpoint.auth ? [endpoint.auth.pass, endpoint.auth.user] : [];
}
