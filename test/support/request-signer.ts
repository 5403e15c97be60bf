import { toBase64 } from '../../src/domain/identity/base64';
import { fingerprintOf } from '../../src/domain/identity/public-key';

/** WebCrypto's key type, named without DOM or Node-only type libraries (this file also runs in workerd). */
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();

export interface KeyPair {
  privateKey: WebCryptoKey;
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
}

/** Who a test request is signed as: what the OCI SDK's SimpleAuthenticationDetailsProvider holds. */
export interface Principal {
  tenancyId: string;
  userId: string;
  fingerprint: string;
  privateKey: WebCryptoKey;
}

export const keyIdOf = (principal: Principal): string =>
  `${principal.tenancyId}/${principal.userId}/${principal.fingerprint}`;

function pem(label: string, der: ArrayBuffer): string {
  const lines = toBase64(new Uint8Array(der)).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A fresh 2048-bit RSA key pair, exported as the OCI console would take and give it. */
export async function generateKeyPair(): Promise<KeyPair> {
  const pair = await crypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
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
    privateKeyPem: pem('PRIVATE KEY', pkcs8),
    publicKeyPem: pem('PUBLIC KEY', spki),
    fingerprint: fingerprintOf(new Uint8Array(spki)),
  };
}

export interface SignedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SignOptions {
  /** The x-date to send and sign. */
  now: Date;
  /** Overrides the header list the SDK would sign (names as the SDK writes them). */
  signedHeaders?: string[];
}

const bodyMethods = ['POST', 'PUT', 'PATCH'];

/**
 * Signs like oci-common's DefaultRequestSigner: `x-date (request-target) host`, plus `Content-Type
 * Content-Length x-content-sha256` for POST, PUT and PATCH. Written from the spec, not from our verifier.
 */
export async function signRequest(
  principal: Principal,
  method: string,
  url: string,
  body: string | undefined,
  extraHeaders: Record<string, string>,
  options: SignOptions,
): Promise<SignedRequest> {
  const target = new URL(url);
  const headers: Record<string, string> = {
    host: target.host,
    'x-date': options.now.toUTCString(),
    ...extraHeaders,
  };
  const hasBody = bodyMethods.includes(method.toUpperCase());
  let signed = ['x-date', '(request-target)', 'host'];
  if (hasBody) {
    const bytes = encoder.encode(body ?? '');
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(bytes.byteLength);
    headers['x-content-sha256'] = toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
    signed = [...signed, 'Content-Type', 'Content-Length', 'x-content-sha256'];
  }
  signed = options.signedHeaders ?? signed;
  const lines = signed.map((name) => {
    const lower = name.toLowerCase();
    if (lower === '(request-target)')
      return `${lower}: ${method.toLowerCase()} ${target.pathname}${target.search}`;
    return `${lower}: ${headers[lower] ?? ''}`;
  });
  const signature = await crypto.subtle.sign(RSA, principal.privateKey, encoder.encode(lines.join('\n')));
  headers.authorization =
    `Signature version="1",keyId="${keyIdOf(principal)}",algorithm="rsa-sha256",` +
    `headers="${signed.join(' ')}",signature="${toBase64(new Uint8Array(signature))}"`;
  return { url, method, headers, ...(body === undefined ? {} : { body }) };
}

export function toRequestInit(signed: SignedRequest): {
  method: string;
  headers: Record<string, string>;
  body?: string;
} {
  return {
    method: signed.method,
    headers: signed.headers,
    ...(signed.body === undefined ? {} : { body: signed.body }),
  };
}
