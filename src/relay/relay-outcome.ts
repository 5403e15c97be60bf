import type { RelayOutcome } from '../domain/ports';
import { formatReply, parseSmtpReply, replyKind, type SmtpReply } from './smtp-reply';

/** Longest detail kept: two of RFC 5321's 512-octet reply lines. */
export const MAX_DETAIL_LENGTH = 1_024;

const REDACTED = '[redacted]';

/** `text` with every secret, as given and percent-encoded, replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
  }
  return out;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]+/g;

function cleanDetail(text: string, secrets: readonly string[]): string {
  const oneLine = redactSecrets(text, secrets).replace(CONTROL_CHARACTERS, ' ').trim();
  return oneLine.length > MAX_DETAIL_LENGTH ? `${oneLine.slice(0, MAX_DETAIL_LENGTH - 3)}...` : oneLine;
}

export function replyOutcome(reply: SmtpReply, secrets: readonly string[]): RelayOutcome {
  return {
    kind: replyKind(reply.code),
    code: reply.code,
    enhanced: reply.enhanced,
    detail: cleanDetail(formatReply(reply), secrets),
  };
}

/** A message the relay accepted; `reply` is its answer to the final dot. */
export function sentOutcome(reply: string, secrets: readonly string[]): RelayOutcome {
  const parsed = parseSmtpReply(reply);
  if (parsed && replyKind(parsed.code) === 'sent') return replyOutcome(parsed, secrets);
  return { kind: 'sent', code: undefined, enhanced: undefined, detail: cleanDetail(reply, secrets) };
}

/** No usable reply: refused, dropped, timed out, TLS failed. Always worth retrying later. */
export function connectionFailure(what: string, secrets: readonly string[]): RelayOutcome {
  return { kind: 'transient', code: undefined, enhanced: undefined, detail: cleanDetail(what, secrets) };
}

/**
 * An SMTP client's error as an outcome. A 4yz or 5yz reply it carries (`responseCode`/`response`,
 * as nodemailer and the patched worker-mailer set them) decides; anything else is a connection failure.
 */
export function failureOutcome(error: unknown, secrets: readonly string[]): RelayOutcome {
  const fields: { response?: unknown; message?: unknown } =
    typeof error === 'object' && error !== null ? error : {};
  const reply = typeof fields.response === 'string' ? parseSmtpReply(fields.response) : undefined;
  if (reply && reply.code >= 400) return replyOutcome(reply, secrets);
  const message = typeof fields.message === 'string' && fields.message ? fields.message : 'unknown error';
  return connectionFailure(`no reply from the relay: ${message}`, secrets);
}

/** A message refused before any connection, for a reason that resending cannot fix. */
export function refusedLocally(enhanced: string, detail: string): RelayOutcome {
  return { kind: 'permanent', code: undefined, enhanced, detail };
}
