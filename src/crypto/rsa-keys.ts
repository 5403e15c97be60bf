import { Buffer } from 'node:buffer';
import { createHash, createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { fromBase64, toBase64 } from './base64';

export const MAX_PUBLIC_KEY_PEM = 16_384; // an RSA-16384 key in PEM is under 3 KB; anything longer is not a key
export const MIN_RSA_MODULUS_BITS = 2048; // OCI refuses smaller API keys

/** The only algorithm OCI API keys sign with (draft-cavage `rsa-sha256`). */
export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** WebCrypto's key type, named without DOM or Node-only type libraries (this module also runs in workerd). */
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const pemPattern = /^-----BEGIN PUBLIC KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PUBLIC KEY-----$/;

export interface PublicKey {
  /** The key re-wrapped as canonical PEM (64-character lines). */
  pem: string;
  /** MD5 of the DER SubjectPublicKeyInfo, as colon-separated hex pairs: OCI's key fingerprint. */
  fingerprint: string;
}

/** What fingerprintOf writes: sixteen lower-case hex pairs joined by colons. */
export const FINGERPRINT_PATTERN = /^[0-9a-f]{2}(?::[0-9a-f]{2}){15}$/;

export function fingerprintOf(spkiDer: Uint8Array): string {
  return Array.from(createHash('md5').update(spkiDer).digest(), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join(':');
}

function pemOf(label: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`;
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

/** An API key as uploaded: a PEM RSA public key of at least 2048 bits, or what is wrong with it. */
export async function readPublicKey(pem: string): Promise<PublicKey | { problem: string }> {
  const problem = 'must be an RSA public key in PEM format (-----BEGIN PUBLIC KEY-----)';
  if (pem.length > MAX_PUBLIC_KEY_PEM) return { problem: `must be at most ${MAX_PUBLIC_KEY_PEM} characters` };
  const der = derOf(pem);
  if (!der) return { problem };
  let key: WebCryptoKey;
  try {
    key = await crypto.subtle.importKey('spki', der, RSA_SHA256, true, ['verify']);
  } catch {
    return { problem };
  }
  const bits = (key.algorithm as { modulusLength?: number }).modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) return { problem: `must be at least ${MIN_RSA_MODULUS_BITS} bits` };
  return { pem: pemOf('PUBLIC KEY', der), fingerprint: fingerprintOf(der) };
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

/** Reads a PEM private key, PKCS#8 or PKCS#1 as `openssl genrsa` and the OCI console write them. */
export function importPrivateKey(pem: string): Promise<WebCryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return crypto.subtle.importKey('pkcs8', new Uint8Array(der), RSA_SHA256, false, ['sign']);
}

export interface KeyPair {
  privateKey: WebCryptoKey;
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
}

/** A fresh 2048-bit RSA API key pair, exported as the OCI console takes and gives it. */
export async function generateKeyPair(): Promise<KeyPair> {
  const pair = await crypto.subtle.generateKey(
    { ...RSA_SHA256, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  // Checked at run time: Node's and the Workers' type libraries type these two results differently.
  if (!('privateKey' in pair)) throw new Error('expected a key pair');
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey);
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', pair.privateKey);
  if (!(spki instanceof ArrayBuffer) || !(pkcs8 instanceof ArrayBuffer)) throw new Error('expected DER');
  return {
    privateKey: pair.privateKey,
    privateKeyPem: `${pemOf('PRIVATE KEY', new Uint8Array(pkcs8))}\n`,
    publicKeyPem: `${pemOf('PUBLIC KEY', new Uint8Array(spki))}\n`,
    fingerprint: fingerprintOf(new Uint8Array(spki)),
  };
}
