const MAX_ENCODED_WORD = 75; // RFC 2047 section 2: an encoded-word is at most 75 characters
const MAX_WORD_LINE = 76; // RFC 2047 section 2: a header line holding encoded-words is at most 76 characters
const WORD_OVERHEAD = '=?UTF-8?B??='.length;
const MIN_WORD_BYTES = 6; // room for one character of any length after the first-line prefix
const encoder = new TextEncoder();

/** Whether `text` is printable US-ASCII (space included), the only text a header may carry unencoded. */
export function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function base64(bytes: readonly number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

/** UTF-8 octets an encoded word fits in when it may take `room` characters. */
const bytesFor = (room: number): number =>
  Math.floor((Math.min(room, MAX_ENCODED_WORD) - WORD_OVERHEAD) / 4) * 3;

/**
 * RFC 2047 B-encoded words for `text`, never splitting a character's UTF-8 bytes, folded with CRLF SP so
 * that every line stays within 76 characters; `used` is how much of the first line is already taken.
 */
export function encodeWords(text: string, used = 0): string {
  let budget = bytesFor(MAX_WORD_LINE - used);
  let lead = '';
  if (budget < MIN_WORD_BYTES) {
    lead = '\r\n ';
    budget = bytesFor(MAX_WORD_LINE - 1);
  }
  const words: string[] = [];
  let chunk: number[] = [];
  for (const char of text) {
    const bytes = encoder.encode(char);
    if (chunk.length > 0 && chunk.length + bytes.length > budget) {
      words.push(`=?UTF-8?B?${base64(chunk)}?=`);
      chunk = [];
      budget = bytesFor(MAX_WORD_LINE - 1);
    }
    chunk.push(...bytes);
  }
  words.push(`=?UTF-8?B?${base64(chunk)}?=`);
  return lead + words.join('\r\n ');
}
