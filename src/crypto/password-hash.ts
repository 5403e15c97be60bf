import { sameBytes } from './same-bytes';
import { fromBase64, toBase64 } from './base64';

// Production Workers refuse PBKDF2 above 100,000 iterations (workerd issue 1346); the local workerd does not,
// so no test catches it. The count is stored with each hash so it can change later.
export const PBKDF2_ITERATIONS = 100_000;
export const MAX_PASSWORD_LENGTH = 256; // ours are 32 characters; bounds the work an attacker can ask for
const HASH_BITS = 256;
const SCHEME = 'pbkdf2-sha256';

const encoder = new TextEncoder();

async function derive(password: string, salt: string, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode(salt), iterations },
    material,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<base64 hash>`: everything needed to verify, nothing to recover. */
export async function hashPassword(password: string, salt: string): Promise<string> {
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${salt}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const [scheme, iterationText, salt, hashText] = stored.split('$');
  const iterations = Number(iterationText);
  if (scheme !== SCHEME || salt === undefined || hashText === undefined) return false;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
  return sameBytes(await derive(password, salt, iterations), fromBase64(hashText));
}
