import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { invalid } from '../errors';
import { fromBase64, toBase64 } from './base64';

export const MAX_PUBLIC_KEY_PEM = 16_384; // an RSA-16384 key in PEM is under 3 KB; anything longer is not a key
export const MIN_RSA_MODULUS_BITS = 2048; // OCI refuses smaller API keys

/** The only algorithm OCI API keys sign with (draft-cavage `rsa-sha256`). */
export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** WebCrypto's key type, named without DOM or Node-only type libraries. */
export type VerifyKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const pemPattern = /^-----BEGIN PUBLIC KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PUBLIC KEY-----$/;

export interface PublicKey {
  /** The key re-wrapped as canonical PEM (64-character lines). */
  pem: string;
  /** MD5 of the DER SubjectPublicKeyInfo, as colon-separated hex pairs: OCI's key fingerprint. */
  fingerprint: string;
}

export function fingerprintOf(spkiDer: Uint8Array): string {
  return Array.from(createHash('md5').update(spkiDer).digest(), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join(':');
}

function derOf(pem: string): Uint8Array | undefined {
  const body = pemPattern.exec(pem.trim())?.[1];
  if (body === undefined) return undefined;
  try {
    return fromBase64(body.replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
}

const VERIFY_KEYS_KEPT = 1_000;
const verifyKeys = new Map<string, KeyObject>();

/**
 * The PEM as a verification key. Parsing reads the DER each time, so parsed keys are kept by their PEM
 * (the key itself, not a name for it): a key removed from the store is refused before this.
 */
function verifyKeyOf(pem: string): KeyObject {
  const kept = verifyKeys.get(pem);
  if (kept) return kept;
  const key = createPublicKey({ key: pem, format: 'pem', type: 'spki' });
  verifyKeys.set(pem, key);
  if (verifyKeys.size > VERIFY_KEYS_KEPT) {
    const oldest = verifyKeys.keys().next();
    if (!oldest.done) verifyKeys.delete(oldest.value);
  }
  return key;
}

/**
 * Whether `signature` is the RSASSA-PKCS1-v1_5 SHA-256 signature of `text` by the key in `pem`; false for
 * anything that is not a key. node:crypto verifies synchronously in both runtimes (workerd with
 * nodejs_compat), where WebCrypto's verify goes through Node's thread pool and costs twice as much.
 */
export function verifiesRsaSha256(pem: string, signature: Uint8Array, text: string): boolean {
  try {
    return verify('sha256', Buffer.from(text, 'utf8'), verifyKeyOf(pem), signature);
  } catch {
    return false;
  }
}

/** Checks an uploaded API key: a PEM RSA public key of at least 2048 bits. */
export async function parsePublicKey(pem: string): Promise<PublicKey> {
  const problem = 'must be an RSA public key in PEM format (-----BEGIN PUBLIC KEY-----)';
  if (pem.length > MAX_PUBLIC_KEY_PEM)
    throw invalid('key', `must be at most ${MAX_PUBLIC_KEY_PEM} characters`);
  const der = derOf(pem);
  if (!der) throw invalid('key', problem);
  let key: VerifyKey;
  try {
    key = await crypto.subtle.importKey('spki', der, RSA_SHA256, true, ['verify']);
  } catch {
    throw invalid('key', problem);
  }
  const bits = (key.algorithm as { modulusLength?: number }).modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) throw invalid('key', `must be at least ${MIN_RSA_MODULUS_BITS} bits`);
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return {
    pem: `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----`,
    fingerprint: fingerprintOf(der),
  };
}
