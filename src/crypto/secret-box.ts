import { fromBase64, toBase64 } from './base64';
import { sha256 } from './sha256';

const IV_BYTES = 12;
const VERSION = 'v1';

/**
 * AES-256-GCM under a key derived from `keyMaterial` (SHA-256 of it): each sealed value carries its own
 * random IV, and a value altered or sealed under another key fails to open.
 */
export function secretBox(keyMaterial: string) {
  const key = crypto.subtle.importKey('raw', sha256(keyMaterial), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return {
    async seal(plain: string): Promise<string> {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv },
        await key,
        new TextEncoder().encode(plain),
      );
      return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
    },
    async open(sealed: string): Promise<string> {
      const [version, iv, data] = sealed.split('.');
      if (version !== VERSION || iv === undefined || data === undefined)
        throw new Error('not a sealed value');
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(iv) },
        await key,
        fromBase64(data),
      );
      return new TextDecoder().decode(plain);
    },
  };
}
