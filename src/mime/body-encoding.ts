const MAX_LINE = 998; // RFC 5322 section 2.1.1: at most 998 characters before CRLF
const QP_LINE = 76; // RFC 2045 section 6.7: encoded lines are at most 76 characters
const BASE64_LINE = 76;
const encoder = new TextEncoder();

export type TransferEncoding = '7bit' | 'quoted-printable' | 'base64';

export interface EncodedBody {
  encoding: TransferEncoding;
  data: string;
}

const BARE_LINE_BREAK = /\r(?!\n)|(?<!\r)\n/;

/** Every line break (CRLF, bare LF, bare CR) as CRLF, as RFC 5322 requires of a message's lines. */
export function normalizeLineBreaks(text: string): string {
  // Most messages arrive with CRLF throughout: those are not copied.
  return BARE_LINE_BREAK.test(text) ? text.replace(/\r\n|\r|\n/g, '\r\n') : text;
}

const hex = (byte: number): string => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

function quotedPrintableLine(bytes: Uint8Array): string {
  const out: string[] = [];
  let line = '';
  bytes.forEach((byte, index) => {
    const last = index === bytes.length - 1;
    const isSpace = byte === 0x20 || byte === 0x09;
    // A dot starting a line is encoded too, so no relay can mistake it for the end of DATA.
    const literal =
      (byte >= 0x21 && byte <= 0x7e && byte !== 0x3d && !(byte === 0x2e && line === '')) ||
      (isSpace && !last);
    let token = literal ? String.fromCharCode(byte) : hex(byte);
    if (line.length + token.length > QP_LINE - 1) {
      out.push(`${line}=`);
      line = '';
      if (token === '.') token = hex(byte);
    }
    line += token;
  });
  out.push(line);
  return out.join('\r\n');
}

/** RFC 2045 quoted-printable of UTF-8 text, line by line, with soft breaks at 76 characters. */
export function quotedPrintable(text: string): string {
  return normalizeLineBreaks(text)
    .split('\r\n')
    .map((line) => quotedPrintableLine(encoder.encode(line)))
    .join('\r\n');
}

/** Base64 of UTF-8 text in 76-character lines. */
export function base64Lines(text: string): string {
  const bytes = encoder.encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const encoded = btoa(binary);
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += BASE64_LINE) lines.push(encoded.slice(i, i + BASE64_LINE));
  return lines.join('\r\n');
}

/**
 * 7bit when the text is ASCII with short lines; otherwise quoted-printable, or base64 when most of the
 * text is outside ASCII (quoted-printable would triple it).
 */
export function encodeBody(text: string): EncodedBody {
  const normalized = normalizeLineBreaks(text);
  const lines = normalized.split('\r\n');
  // eslint-disable-next-line no-control-regex -- 7bit admits no NUL and no 8-bit character
  const plain = /^[\x01-\x7f]*$/.test(normalized) && lines.every((line) => line.length <= MAX_LINE);
  if (plain) return { encoding: '7bit', data: normalized };
  let nonAscii = 0;
  for (const char of normalized) if (char.charCodeAt(0) > 0x7f) nonAscii += 1;
  if (nonAscii * 3 > normalized.length) return { encoding: 'base64', data: base64Lines(normalized) };
  return { encoding: 'quoted-printable', data: quotedPrintable(normalized) };
}
