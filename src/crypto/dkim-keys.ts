import { fromBase64, toBase64 } from './base64';
import type { WebCryptoKey } from './rsa-keys';

const DKIM_RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const; // RFC 6376 rsa-sha256
const MAX_PEM_CHARS = 16_384; // a 4096-bit RSA key in PEM is about 3.3 KB; anything this long is not one key
const MIN_KEY_BITS = 1024; // RFC 8301 section 3.2: verifiers must not accept shorter keys
const MAX_KEY_BITS = 4096; // RFC 8301 section 3.2: the longest key every verifier must handle
const ACCEPTED = 'must be an unencrypted RSA private key in PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)';

// Labels are compared in full; what a label is decides which DER is inside.
const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s:,-]*?)-----END ([A-Z0-9 ]+)-----$/;
const RSA_ENCRYPTION_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]; // 1.2.840.113549.1.1.1

export interface DkimKey {
  /** The private key as DER PKCS#8 PrivateKeyInfo, what signingKeyOf takes. */
  privateKeyPkcs8: Uint8Array;
  /** The public key as base64 DER SubjectPublicKeyInfo, the `p=` of the DNS record. */
  publicKeySpkiBase64: string;
  keyLength: number;
}

/** A private key that cannot be used, with a message that names the problem but never the key. */
export class DkimKeyRefused extends Error {
  override name = 'DkimKeyRefused';
}

const refused = (problem: string): DkimKeyRefused => new DkimKeyRefused(`The DKIM private key ${problem}`);

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}

function der(tag: number, ...contents: (Uint8Array | number[])[]): Uint8Array {
  const body = contents.flatMap((part) => Array.from(part));
  return new Uint8Array([tag, ...derLength(body.length), ...body]);
}

/** RFC 5208 PrivateKeyInfo around an RFC 8017 RSAPrivateKey: WebCrypto imports private keys only as PKCS#8. */
function pkcs8OfPkcs1(pkcs1: Uint8Array): Uint8Array {
  const version = der(0x02, [0]);
  const algorithm = der(0x30, der(0x06, RSA_ENCRYPTION_OID), der(0x05));
  return der(0x30, version, algorithm, der(0x04, pkcs1));
}

function pkcs8OfPem(pem: string): Uint8Array {
  if (pem.length > MAX_PEM_CHARS) throw refused(`must be at most ${MAX_PEM_CHARS} characters`);
  const block = PEM_BLOCK.exec(pem.trim());
  const [, label, body, endLabel] = block ?? [];
  if (label === undefined || body === undefined || label !== endLabel) throw refused(ACCEPTED);
  if (label.includes('ENCRYPTED') || body.includes('Proc-Type: 4,ENCRYPTED')) {
    throw refused('is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)');
  }
  if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY') throw refused(ACCEPTED);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(body);
  } catch {
    throw refused(ACCEPTED);
  }
  return label === 'RSA PRIVATE KEY' ? pkcs8OfPkcs1(bytes) : bytes;
}

async function exportedBytes(format: 'pkcs8' | 'spki', key: WebCryptoKey): Promise<Uint8Array> {
  const exported = await crypto.subtle.exportKey(format, key);
  // Checked at run time: Node's and the Workers' type libraries type this result differently.
  if (!(exported instanceof ArrayBuffer)) throw new Error(`expected ${format} DER`);
  return new Uint8Array(exported);
}

async function publicKeyOf(privateKey: WebCryptoKey): Promise<Uint8Array> {
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  // Checked at run time, as above: the Workers' types allow an ArrayBuffer here too.
  if (jwk instanceof ArrayBuffer) throw new Error('expected a JWK');
  const { n, e } = jwk;
  const publicKey = await crypto.subtle.importKey('jwk', { kty: 'RSA', n, e, ext: true }, DKIM_RSA, true, [
    'verify',
  ]);
  return exportedBytes('spki', publicKey);
}

/** A fresh 2048-bit RSA DKIM key; the private half is extractable only until it is exported here. */
export async function generateDkimKey(): Promise<DkimKey & { keyLength: 2048 }> {
  const pair = await crypto.subtle.generateKey(
    { ...DKIM_RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  if (!('privateKey' in pair)) throw new Error('expected a key pair');
  return {
    privateKeyPkcs8: await exportedBytes('pkcs8', pair.privateKey),
    publicKeySpkiBase64: toBase64(await exportedBytes('spki', pair.publicKey)),
    keyLength: 2048,
  };
}

/**
 * Reads a customer's PEM RSA private key (PKCS#8 or PKCS#1) of 1024 to 4096 bits; throws InvalidParameter
 * DkimKeyRefused for anything else, never quoting the key.
 */
export async function importDkimPrivateKey(pem: string): Promise<DkimKey> {
  let key: WebCryptoKey;
  try {
    key = await crypto.subtle.importKey('pkcs8', pkcs8OfPem(pem), DKIM_RSA, true, ['sign']);
  } catch (error) {
    if (error instanceof DkimKeyRefused) throw error;
    throw refused(ACCEPTED); // the platform's reason may describe the key's contents
  }
  const keyLength = (key.algorithm as { modulusLength?: number }).modulusLength ?? 0;
  if (keyLength < MIN_KEY_BITS || keyLength > MAX_KEY_BITS) {
    throw refused(`must be ${MIN_KEY_BITS} to ${MAX_KEY_BITS} bits long, not ${keyLength}`);
  }
  return {
    privateKeyPkcs8: await exportedBytes('pkcs8', key),
    publicKeySpkiBase64: toBase64(await publicKeyOf(key)),
    keyLength,
  };
}

/** The stored PKCS#8 key as a non-extractable key that can only sign. */
export function signingKeyOf(pkcs8: Uint8Array): Promise<WebCryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, DKIM_RSA, false, ['sign']);
}

/** The TXT record to publish at `<selector>._domainkey.<domain>` (RFC 6376 section 3.6.1). */
export function dkimTxtRecord(publicKeySpkiBase64: string): string {
  return `v=DKIM1; k=rsa; p=${publicKeySpkiBase64}`;
}
