import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../../src/crypto/base64';

const bytesOf = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));

describe('base64', () => {
  it('encodes with padding and decodes what it encoded, at every length', () => {
    for (let length = 0; length < 40; length += 1) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 73 + length) % 256);
      const text = toBase64(bytes);
      expect(text).toBe(btoa(String.fromCharCode(...bytes)));
      expect(fromBase64(text)).toEqual(bytes);
    }
  });

  it('encodes a view into a larger buffer by its own bytes only', () => {
    const view = new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(2, 5);
    expect(toBase64(view)).toBe(btoa('\u0002\u0003\u0004'));
  });

  it('decodes as atob does: whitespace skipped, padding optional', () => {
    for (const text of ['aGVsbG8=', 'aGVsbG8', 'aGVs\nbG8=', ' aGVsbG8= ', 'YQ==', 'YQ', '']) {
      expect(fromBase64(text)).toEqual(bytesOf(atob(text)));
    }
  });

  it('refuses what atob refuses', () => {
    for (const text of ['aGVsbG8*', 'a', 'aGVsb', 'aG=sbG8=', 'YQ===', 'YQ=', '-_-_']) {
      expect(() => atob(text)).toThrow();
      expect(() => fromBase64(text)).toThrow('not base64');
    }
  });
});
