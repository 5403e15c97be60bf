import { invalid } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { md5 } from './md5';

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
  return Array.from(md5(spkiDer), (byte) => byte.toString(16).padStart(2, '0')).join(':');
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
const verifyKeys = new Map<string, Promise<VerifyKey>>();

/**
 * The PEM as a WebCrypto verification key. Importing parses the DER each time, so imported keys are kept
 * by their PEM (the key itself, not a name for it): a key removed from the store is refused before this.
 */
export function importVerifyKey(pem: string): Promise<VerifyKey> {
  const kept = verifyKeys.get(pem);
  if (kept) return kept;
  const der = derOf(pem);
  if (!der) return Promise.reject(new Error('not a PEM public key'));
  const imported = crypto.subtle.importKey('spki', der, RSA_SHA256, false, ['verify']);
  verifyKeys.set(pem, imported);
  imported.catch(() => verifyKeys.delete(pem));
  if (verifyKeys.size > VERIFY_KEYS_KEPT) {
    const oldest = verifyKeys.keys().next();
    if (!oldest.done) verifyKeys.delete(oldest.value);
  }
  return imported;
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
