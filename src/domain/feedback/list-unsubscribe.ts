import { belowTrace } from '../../mime/received-field';
import type { UnsubscribeClaims } from './unsubscribe-token';

/** Where one-click unsubscribe links point, and the tokens they carry. */
export interface UnsubscribeLinks {
  /** The public base URL, without a trailing slash; links are `<base>/unsubscribe/<token>`. */
  baseUrl: string;
  seal(claims: UnsubscribeClaims): Promise<string>;
}

export const unsubscribeUrl = (baseUrl: string, token: string): string => `${baseUrl}/unsubscribe/${token}`;

/** The header block of a message: up to the first empty line. */
function headerEnd(raw: string): number {
  const at = raw.indexOf('\r\n\r\n');
  return at === -1 ? raw.length : at + 2;
}

/** Each header field of `header` as [start, end) offsets including its folded lines and CRLF. */
function fieldSpans(header: string): { name: string; start: number; end: number }[] {
  const spans: { name: string; start: number; end: number }[] = [];
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf('\r\n', start);
    end = end === -1 ? header.length : end + 2;
    while (end < header.length && (header[end] === ' ' || header[end] === '\t')) {
      const next = header.indexOf('\r\n', end);
      end = next === -1 ? header.length : next + 2;
    }
    const colon = header.indexOf(':', start);
    const name = colon > start && colon < end ? header.slice(start, colon).trim().toLowerCase() : '';
    spans.push({ name, start, end });
    start = end;
  }
  return spans;
}

const fieldValue = (field: string): string =>
  field
    .slice(field.indexOf(':') + 1)
    .replace(/\r\n[ \t]+/g, ' ')
    .trim();

/**
 * The message with RFC 8058 one-click unsubscribe: unchanged when it already offers an https link;
 * otherwise `url` leads List-Unsubscribe (a mailto: the sender gave is kept after it) and
 * List-Unsubscribe-Post is set.
 */
export function withListUnsubscribe(raw: string, url: string): string {
  const end = headerEnd(raw);
  const header = raw.slice(0, end);
  const spans = fieldSpans(header);
  const existing = spans.filter((span) => span.name === 'list-unsubscribe');
  const values = existing.map((span) => fieldValue(header.slice(span.start, span.end)));
  if (values.some((value) => /<\s*https:/i.test(value))) return raw;
  const drop = new Set(['list-unsubscribe', 'list-unsubscribe-post']);
  const kept = spans
    .filter((span) => !drop.has(span.name))
    .map((span) => header.slice(span.start, span.end))
    .join('');
  const others = values.filter((value) => value.length > 0);
  const list = [`<${url}>`, ...others].join(',\r\n ');
  const added = `List-Unsubscribe: ${list}\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n`;
  return belowTrace(kept, added) + raw.slice(end);
}
