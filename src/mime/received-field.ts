import { formatMailDate } from './date-header';

/** What a hop knows of a message it takes in: the facts of RFC 5321 section 4.4's trace field. */
export interface ReceivedTrace {
  /** The name the client gave in EHLO, if any. */
  helo?: string | undefined;
  clientAddress?: string | undefined;
  /** This service's name for itself. */
  by: string;
  /** RFC 3848's names: ESMTPSA (SMTP with TLS and AUTH), or HTTPS for the API. */
  protocol: 'ESMTPSA' | 'HTTPS';
  id: string;
  /** Named only for a message with one recipient, who sees it anyway. */
  recipients: readonly string[];
  date: Date;
}

const MAX_NAME_LENGTH = 255;
// A client's EHLO name and our own host name are written only when they are plain domain or address text.
const SAFE_NAME = /^(\[[A-Za-z0-9.:]+\]|[A-Za-z0-9.:_-]+)$/;
const SAFE_ADDRESS = /^[0-9A-Fa-f.:]+$/;

const safeName = (name: string | undefined): string | undefined =>
  name !== undefined && name.length <= MAX_NAME_LENGTH && SAFE_NAME.test(name) ? name : undefined;

const addressLiteral = (address: string): string => {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return plain.includes(':') ? `[IPv6:${plain}]` : `[${plain}]`;
};

/** `Received:` for the top of a message, folded, ending in CRLF. */
export function receivedField(trace: ReceivedTrace): string {
  const helo = safeName(trace.helo) ?? 'unknown';
  const address =
    trace.clientAddress && SAFE_ADDRESS.test(trace.clientAddress)
      ? ` (${addressLiteral(trace.clientAddress)})`
      : '';
  const by = safeName(trace.by) ?? 'localhost';
  const [only] = trace.recipients;
  const recipient = trace.recipients.length === 1 && only ? `\r\n\tfor <${only}>` : '';
  return (
    `Received: from ${helo}${address}\r\n\tby ${by} (edge email delivery) with ${trace.protocol} id ${trace.id}` +
    `${recipient}; ${formatMailDate(trace.date)}\r\n`
  );
}

// The trace fields at the top of a message: hops that added them come first, RFC 5321 section 4.4.
const LEADING_TRACE = /^(?:Received:[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*)*/i;

/** `text` with `fields` (whole lines, CRLF-ended) added below its leading Received fields, above the rest. */
export function belowTrace(text: string, fields: string): string {
  const trace = LEADING_TRACE.exec(text)?.[0] ?? '';
  return trace + fields + text.slice(trace.length);
}
