import { createPrivateKey } from 'node:crypto';
import { toBase64 } from '../domain/identity/base64';
import { RSA_SHA256 } from '../domain/identity/public-key';
import { signingString } from '../domain/identity/signing-string';
import { sha256 } from '../domain/sha256';

/** WebCrypto's key type, named without the DOM type library. */
export type SigningKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** The ingress's own API key: a service user of the API's tenancy. */
export interface ApiKey {
  tenancyId: string;
  userId: string;
  fingerprint: string;
  privateKey: SigningKey;
}

export interface OutgoingRequest {
  method: string;
  url: URL;
  /** Lower-case names; every one of them is signed. */
  headers: Record<string, string>;
  body?: Uint8Array | undefined;
}

const encoder = new TextEncoder();

/** Reads a PEM private key, PKCS#8 or PKCS#1 as `openssl genrsa` and the OCI console write them. */
export function importApiPrivateKey(pem: string): Promise<SigningKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return crypto.subtle.importKey('pkcs8', new Uint8Array(der), RSA_SHA256, false, ['sign']);
}

/**
 * OCI request signing (draft-cavage, RSA-SHA256): the headers to send, the Authorization header among them.
 * Host and Content-Length are signed with the values fetch will send for `url` and `body`.
 */
export async function signRequest(
  key: ApiKey,
  request: OutgoingRequest,
  now: Date,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = { 'x-date': now.toUTCString(), ...request.headers };
  const values: Record<string, string> = { ...headers, host: request.url.host };
  if (request.body !== undefined) {
    values['content-length'] = String(request.body.byteLength);
    headers['x-content-sha256'] = values['x-content-sha256'] = toBase64(sha256(request.body));
  }
  const names = ['(request-target)', ...Object.keys(values)];
  const text = signingString(
    { method: request.method, url: request.url, header: (name) => values[name] },
    names,
  );
  const signature = await crypto.subtle.sign(RSA_SHA256, key.privateKey, encoder.encode(text));
  headers.authorization =
    `Signature version="1",keyId="${key.tenancyId}/${key.userId}/${key.fingerprint}",` +
    `algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${toBase64(new Uint8Array(signature))}"`;
  return headers;
}
