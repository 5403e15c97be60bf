import { DomainError, invalid } from '../errors';

export const MAX_HEADER_FIELDS = 50; // custom fields per message; more is abuse, not mail
export const MAX_HEADER_NAME = 76; // `Name: ` then still leaves most of a 998-octet line for the value
export const MAX_HEADER_VALUE = 900; // one unfolded field stays under RFC 5322's 998-octet line
export const MAX_SUBJECT = 998; // RFC 5322's line length; encoded and folded, any subject this long fits
export const MAX_DISPLAY_NAME = 200; // a name, not a paragraph

const fieldName = /^[\x21-\x39\x3b-\x7e]+$/; // RFC 5322 ftext

/** Fields the service writes itself, or that transport and authentication own. */
const RESERVED = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'message-id',
  'date',
  'reply-to',
  'sender',
  'return-path',
  'mime-version',
  'received',
  'received-spf',
  'dkim-signature',
  'domainkey-signature',
  'authentication-results',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'delivered-to',
]);
const RESERVED_PREFIXES = ['content-', 'resent-', 'arc-'];

export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** Why a header value cannot be written as given: a line break would let it add fields of its own. */
export function headerValueProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'must not contain CR or LF';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(value)) return 'must not contain control characters';
  return undefined;
}

export function checkHeaderValue(field: string, value: string, max: number): void {
  const problem = headerValueProblem(value);
  if (problem) throw invalid(field, problem);
  if (value.length > max) throw invalid(field, `must be at most ${max} characters`);
}

/** The caller's extra header fields, checked, in the order given. */
export function checkHeaderFields(fields: Record<string, string> | undefined): [string, string][] {
  const entries = Object.entries(fields ?? {});
  if (entries.length > MAX_HEADER_FIELDS) {
    throw invalid('headerFields', `at most ${MAX_HEADER_FIELDS} fields`);
  }
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (name.length > MAX_HEADER_NAME || !fieldName.test(name)) {
      throw invalid(
        'headerFields',
        `${JSON.stringify(name.slice(0, MAX_HEADER_NAME))} is not a header field name`,
      );
    }
    if (isReservedHeader(name)) {
      throw new DomainError('InvalidParameter', `headerFields: ${name} is reserved and set by the service`);
    }
    if (seen.has(name.toLowerCase())) throw invalid('headerFields', `${name} is given twice`);
    seen.add(name.toLowerCase());
    checkHeaderValue(`headerFields.${name}`, value, MAX_HEADER_VALUE);
  }
  return entries;
}
