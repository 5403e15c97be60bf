/** Octets `text` takes in UTF-8, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff)
      bytes += 4; // a surrogate pair: its low half adds nothing
    else if (code < 0xdc00 || code > 0xdfff) bytes += 3;
  }
  return bytes;
}
