import { reply, type SmtpReply } from '../smtp-reply';
import type { SubmitOutcome } from '../submitter';

const MAX_REASON_CHARS = 400; // an SMTP reply line is at most 512 octets (RFC 5321 section 4.5.3.1.5)

export const tooBig = (maxBytes: number): SmtpReply =>
  reply(552, '5.3.4', `Message size exceeds the limit of ${maxBytes} bytes`);

/** The ingress holds as many message bytes as it may: the client keeps the message and tries again later. */
export const BUSY: SmtpReply = reply(452, '4.3.1', 'Too much mail in flight here; try again later');

const reasonOf = (message: string): string =>
  message.replace(/[\r\n\t]+/g, ' ').slice(0, MAX_REASON_CHARS) || 'Refused';

/**
 * The API's answer as SMTP: a refusal the client can fix is permanent and says why; throttling and
 * server trouble are transient, so clients retry only what can succeed.
 */
export function afterSubmit(outcome: SubmitOutcome): SmtpReply {
  if (outcome.kind === 'accepted') return reply(250, '2.0.0', `Ok: queued as <${outcome.messageId}>`);
  if (outcome.kind === 'unavailable') return reply(451, '4.3.0', 'Temporary failure; try again later');
  const { status, code } = outcome;
  const reason = reasonOf(outcome.message);
  if (status === 429 || code === 'TooManyRequests') return reply(451, '4.7.1', reason);
  if (status >= 500) return reply(451, '4.3.0', 'Temporary failure; try again later');
  if (status === 413 || code === 'PayloadTooLarge') return reply(552, '5.3.4', reason);
  if (status === 401 || status === 403 || status === 404) return reply(550, '5.7.1', reason);
  return reply(554, '5.6.0', reason);
}
