const FOLD_AT = 78; // RFC 5322 section 2.1.1: lines SHOULD be at most 78 characters

/**
 * Folds an unstructured ASCII header at spaces so lines stay near 78 characters; a word longer than that
 * stays whole (the caller bounds the field at 998).
 */
export function foldAscii(name: string, value: string): string {
  const lines: string[] = [];
  let line = `${name}:`;
  let started = false;
  for (const word of value.split(' ')) {
    // Never fold before an empty word: a line of only whitespace is not allowed (RFC 5322 section 3.2.2).
    if (started && word !== '' && line.length + 1 + word.length > FOLD_AT) {
      lines.push(line);
      line = '';
    }
    line += ` ${word}`;
    started = true;
  }
  lines.push(line);
  return lines.join('\r\n');
}
