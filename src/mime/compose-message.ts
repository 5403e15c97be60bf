import { addressHeader, type Mailbox } from './address-header';
import { encodeBody } from './body-encoding';
import { formatMailDate } from './date-header';
import { encodeWords, isPrintableAscii } from './encoded-words';
import { foldAscii } from './header-folding';

export interface ComposeInput {
  from: Mailbox;
  replyTo: readonly Mailbox[];
  to: readonly Mailbox[];
  cc: readonly Mailbox[];
  subject: string;
  text?: string | undefined;
  html?: string | undefined;
  /** Extra fields in order; names are checked by the caller, values are encoded here. */
  headerFields: readonly (readonly [string, string])[];
  /** Without angle brackets. */
  messageId: string;
  date: Date;
  /** Multipart boundary: random, so it cannot occur in the encoded parts. */
  boundary: string;
}

const unstructured = (name: string, value: string): string =>
  isPrintableAscii(value) ? foldAscii(name, value) : `${name}: ${encodeWords(value, name.length + 2)}`;

function part(type: 'text/plain' | 'text/html', content: string): string {
  const body = encodeBody(content);
  return [
    `Content-Type: ${type}; charset=UTF-8`,
    `Content-Transfer-Encoding: ${body.encoding}`,
    '',
    body.data,
  ].join('\r\n');
}

function contentLines(input: ComposeInput): string {
  const parts: string[] = [];
  if (input.text !== undefined) parts.push(part('text/plain', input.text));
  if (input.html !== undefined) parts.push(part('text/html', input.html));
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) return only;
  const boundary = input.boundary;
  return [
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    ...parts.map((p) => `--${boundary}\r\n${p}`),
    `--${boundary}--`,
  ].join('\r\n');
}

/**
 * An RFC 5322 message with MIME (RFC 2045-2047) for submitEmail: text and/or HTML, UTF-8 headers encoded,
 * every line CRLF-terminated and at most 998 characters. Bcc recipients never appear in it.
 */
export function composeMessage(input: ComposeInput): string {
  const headers = [
    `Date: ${formatMailDate(input.date)}`,
    addressHeader('From', [input.from]),
    addressHeader('Reply-To', input.replyTo.length > 0 ? input.replyTo : [input.from]),
  ];
  if (input.to.length > 0) headers.push(addressHeader('To', input.to));
  if (input.cc.length > 0) headers.push(addressHeader('Cc', input.cc));
  if (input.to.length === 0 && input.cc.length === 0) headers.push('To: undisclosed-recipients:;');
  headers.push(
    unstructured('Subject', input.subject),
    `Message-ID: <${input.messageId}>`,
    'MIME-Version: 1.0',
  );
  for (const [name, value] of input.headerFields) headers.push(unstructured(name, value));
  return `${headers.join('\r\n')}\r\n${contentLines(input)}\r\n`;
}
