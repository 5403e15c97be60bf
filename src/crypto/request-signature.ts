import { fromBase64, toBase64 } from './base64';
import { RSA_SHA256, verifiesRsaSha256, type WebCryptoKey } from './rsa-keys';
import { sha256 } from './sha256';
import { formatSignatureHeader, type SignatureParameters } from './signature-header';

/** What a request's signing string is made of: its method, URL and the value of each header it signs. */
export interface SignedParts {
  method: string;
  url: URL;
  header: (name: string) => string | undefined;
}

/**
 * The text an OCI request signature covers (draft-cavage): one `name: value` line per listed header, joined
 * with `\n`. `(request-target)` is the lower-case method and the path and query exactly as sent, so a path
 * prefix in the client's endpoint (`/us-phoenix-1/20170907/...`) is covered too; `host` falls back to the URL's.
 */
export function signingString({ method, url, header }: SignedParts, headerNames: readonly string[]): string {
  return headerNames
    .map((name) => {
      if (name === '(request-target)') return `${name}: ${method.toLowerCase()} ${url.pathname}${url.search}`;
      if (name === 'host') return `host: ${header('host') ?? url.host}`;
      return `${name}: ${header(name) ?? ''}`;
    })
    .join('\n');
}

/** `x-content-sha256`: the base64 SHA-256 of the body. */
export const contentDigest = (body: Uint8Array): string => toBase64(sha256(body));

/** Whether a parsed signature is the key's signature over `parts` (false for bad base64 or a bad key too). */
export function verifiesSignature(
  publicKeyPem: string,
  params: SignatureParameters,
  parts: SignedParts,
): boolean {
  let signature: Uint8Array;
  try {
    signature = fromBase64(params.signature);
  } catch {
    return false;
  }
  return verifiesRsaSha256(publicKeyPem, signature, signingString(parts, params.headers));
}

/** Who signs: the parts of the key id and the private key, as the OCI SDK's authentication provider holds them. */
export interface Principal {
  tenancyId: string;
  userId: string;
  fingerprint: string;
  privateKey: WebCryptoKey;
}

export const keyIdOf = (principal: Principal): string =>
  `${principal.tenancyId}/${principal.userId}/${principal.fingerprint}`;

/** A request as signed, in the shape `fetch` and `new Request` take: `fetch(signed.url, signed)`. */
export interface SignedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface SignOptions {
  /** The x-date to send and sign. */
  now: Date;
  /** The header list to sign instead of the SDK's (names as the SDK writes them). */
  signedHeaders?: readonly string[];
}

/** The methods whose body the signature covers (Content-Length and x-content-sha256), upper-case. */
export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
const encoder = new TextEncoder();

/** The headers oci-common's DefaultRequestSigner signs: the content headers too for POST, PUT and PATCH. */
export const sdkSignedHeaders = (method: string): string[] =>
  BODY_METHODS.has(method.toUpperCase())
    ? ['x-date', '(request-target)', 'host', 'Content-Type', 'Content-Length', 'x-content-sha256']
    : ['x-date', '(request-target)', 'host'];

/**
 * Signs a request as the OCI SDK does (draft-cavage, RSA-SHA256): answers it with `host`, `x-date`, the
 * content headers for a body, and `authorization`. `extraHeaders` are sent, and signed only when listed.
 */
export async function signRequest(
  principal: Principal,
  method: string,
  url: string,
  body: string | Uint8Array | undefined,
  extraHeaders: Record<string, string>,
  options: SignOptions,
): Promise<SignedRequest> {
  const target = new URL(url);
  const headers: Record<string, string> = {
    host: target.host,
    'x-date': options.now.toUTCString(),
    ...extraHeaders,
  };
  if (BODY_METHODS.has(method.toUpperCase())) {
    const bytes = typeof body === 'string' || body === undefined ? encoder.encode(body ?? '') : body;
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(bytes.byteLength);
    headers['x-content-sha256'] = contentDigest(bytes);
  }
  const signed = options.signedHeaders ?? sdkSignedHeaders(method);
  const text = signingString(
    { method, url: target, header: (name) => headers[name] },
    signed.map((name) => name.toLowerCase()),
  );
  const signature = await crypto.subtle.sign(RSA_SHA256, principal.privateKey, encoder.encode(text));
  headers.authorization = formatSignatureHeader(
    keyIdOf(principal),
    signed,
    toBase64(new Uint8Array(signature)),
  );
  return { url, method, headers, ...(body === undefined ? {} : { body }) };
}
