import { encodeWords, isPrintableAscii } from './encoded-words';

export interface Mailbox {
  email: string;
  name?: string | undefined;
}

const MAX_WORD_LINE = 76; // RFC 2047 section 2: lines holding encoded-words stay within 76 characters
const phraseOfAtoms = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+( [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * One mailbox as RFC 5322 wants it: a name of atoms as it is, other ASCII names quoted, anything else
 * RFC 2047-encoded; `used` is how much of the current line comes before it.
 */
export function formatMailbox(mailbox: Mailbox, used = 0): string {
  const { name, email } = mailbox;
  if (!name) return email;
  if (phraseOfAtoms.test(name)) return `${name} <${email}>`;
  if (isPrintableAscii(name)) return `"${name.replace(/[\\"]/g, '\\$&')}" <${email}>`;
  const words = encodeWords(name, used);
  const lastBreak = words.lastIndexOf('\r\n');
  const lastLine = lastBreak < 0 ? used + words.length : words.length - lastBreak - 2;
  const fits = lastLine + 3 + email.length <= MAX_WORD_LINE;
  return `${words}${fits ? ' ' : '\r\n '}<${email}>`;
}

/** `Name: a, b, ...` with one mailbox per line, so no line nears 998 characters however many there are. */
export function addressHeader(name: string, mailboxes: readonly Mailbox[]): string {
  const first = name.length + 2;
  return `${name}: ${mailboxes.map((m, i) => formatMailbox(m, i === 0 ? first : 1)).join(',\r\n ')}`;
}
