import { Buffer } from 'node:buffer';

/** Standard base64 (with padding) over bytes, the same in Node and workerd (nodejs_compat). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const ALPHABET = /^[A-Za-z0-9+/]*$/;

/**
 * Decodes standard base64 as `atob` does (whitespace ignored, padding optional) and throws where it would:
 * on characters outside the alphabet or a length no encoding has. Buffer's own decoder skips bad characters.
 */
export function fromBase64(text: string): Uint8Array {
  const compact = text.replace(/[\t\n\f\r ]/g, '');
  const unpadded = compact.length % 4 === 0 ? compact.replace(/={1,2}$/, '') : compact;
  if (unpadded.length % 4 === 1 || !ALPHABET.test(unpadded)) throw new Error('not base64');
  return new Uint8Array(Buffer.from(unpadded, 'base64'));
}
