import { utf8Length } from '../../mime/utf8-length';

export const MAX_PART_CHARS = 1_000_000; // a D1 row holds about 2 MB; slices keep every part well below it
const MAX_PART_BYTES = 1_000_000; // the same bound in UTF-8 octets, for messages full of 3-octet characters

/** The pieces of a message's text between two offsets of the whole, without joining them. */
function between(pieces: readonly string[], start: number, end: number): string[] {
  const out: string[] = [];
  let offset = 0;
  for (const piece of pieces) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + piece.length);
    if (from < to) out.push(piece.slice(from - offset, to - offset));
    offset += piece.length;
  }
  return out;
}

const octets = (pieces: readonly string[]) => pieces.reduce((sum, piece) => sum + utf8Length(piece), 0);

/**
 * The message (its pieces joined) in slices of at most 1,000,000 characters and octets, never splitting a
 * surrogate pair. Only a slice across two pieces is joined: the rest stay slices of the pieces themselves.
 */
export function messageSlices(pieces: readonly string[]): string[] {
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const slices: string[] = [];
  let start = 0;
  while (start < length) {
    let end = Math.min(length, start + MAX_PART_CHARS);
    while (octets(between(pieces, start, end)) > MAX_PART_BYTES) end = start + Math.ceil((end - start) / 2);
    const last = between(pieces, end - 1, end)[0]?.charCodeAt(0) ?? 0;
    if (end < length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    const slice = between(pieces, start, end);
    slices.push(slice.length === 1 && slice[0] !== undefined ? slice[0] : slice.join(''));
    start = end;
  }
  return slices.length > 0 ? slices : [''];
}
