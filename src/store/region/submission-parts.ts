import { utf8Length } from '../../mime/utf8-length';

export const MAX_PART_CHARS = 1_000_000; // a D1 row holds about 2 MB; slices keep every part well below it
const MAX_PART_BYTES = 1_000_000; // the same bound in UTF-8 octets, for messages full of 3-octet characters

/** The message in slices of at most 1,000,000 characters and octets, never splitting a surrogate pair. */
export function messageSlices(message: string): string[] {
  const slices: string[] = [];
  let start = 0;
  while (start < message.length) {
    let end = Math.min(message.length, start + MAX_PART_CHARS);
    while (utf8Length(message.slice(start, end)) > MAX_PART_BYTES) end = start + Math.ceil((end - start) / 2);
    const last = message.charCodeAt(end - 1);
    if (end < message.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    slices.push(message.slice(start, end));
    start = end;
  }
  return slices.length > 0 ? slices : [''];
}
