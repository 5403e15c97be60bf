import type { RelayOutcomeKind } from '../domain/ports';

/** A parsed SMTP reply (RFC 5321 section 4.2), possibly multi-line. */
export interface SmtpReply {
  code: number;
  /** RFC 3463 `class.subject.detail`, when present and of the same class as the code. */
  enhanced: string | undefined;
  /** The text of every line without codes, joined by single spaces. */
  text: string;
}

// RFC 5321 section 4.2: first digit 2-5, second 0-5; a 1yz reply is never sent.
const REPLY_LINE = /^([2-5][0-5][0-9])(?:([ -])(.*))?$/;
// RFC 3463 section 2: class 2, 4 or 5; subject and detail one to three digits each.
const ENHANCED_CODE = /^([245])\.([0-9]{1,3})\.([0-9]{1,3})(?:\s+|$)/;

/** RFC 5321 caps reply lines at 512 octets; a longer multi-line reply is cut to this many lines. */
export const MAX_REPLY_LINES = 20;

/** Parses the complete text of one reply; undefined when it is not a well-formed SMTP reply. */
export function parseSmtpReply(reply: string): SmtpReply | undefined {
  const lines = reply.replace(/(\r?\n)+$/, '').split(/\r?\n/);
  let code: number | undefined;
  let enhanced: string | undefined;
  const texts: string[] = [];
  for (const [index, line] of lines.entries()) {
    const match = REPLY_LINE.exec(line.trimEnd());
    if (!match) return undefined;
    const lineCode = Number(match[1]);
    if (code !== undefined && lineCode !== code) return undefined;
    // Every line but the last continues with '-'; the last one does not.
    if ((match[2] === '-') === (index === lines.length - 1)) return undefined;
    code = lineCode;
    let text = (match[3] ?? '').trim();
    const enhancedMatch = ENHANCED_CODE.exec(text);
    if (enhancedMatch && enhancedMatch[1] === String(lineCode).charAt(0)) {
      enhanced ??= `${enhancedMatch[1]}.${enhancedMatch[2]}.${enhancedMatch[3]}`;
      text = text.slice(enhancedMatch[0].length);
    }
    if (text && texts.length < MAX_REPLY_LINES) texts.push(text);
  }
  if (code === undefined) return undefined;
  return { code, enhanced, text: texts.join(' ') };
}

/** RFC 5321 reply classes: 2yz sent, 4yz transient, 5yz permanent; a stray 3yz is retried like a 4yz. */
export function replyKind(code: number): RelayOutcomeKind {
  if (code >= 200 && code < 300) return 'sent';
  if (code >= 500 && code < 600) return 'permanent';
  return 'transient';
}

/** The reply as one line, the way bounce reports quote it: `550 5.1.1 text`. */
export function formatReply(reply: SmtpReply): string {
  return [String(reply.code), reply.enhanced, reply.text].filter(Boolean).join(' ');
}
