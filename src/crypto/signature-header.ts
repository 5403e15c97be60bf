export const MAX_AUTHORIZATION_LENGTH = 8_192; // a 4096-bit signature, a keyId and the header list fit in 2 KB
export const MAX_SIGNED_HEADERS = 16; // the SDK signs six

/** The parameters of `Authorization: Signature version="1",keyId="…",algorithm="…",headers="…",signature="…"`. */
export interface SignatureParameters {
  keyId: string;
  algorithm: string;
  /** Header names as listed, lower-cased (the SDK lists `Content-Type` and `Content-Length` capitalised). */
  headers: string[];
  signature: string;
}

export class SignatureHeaderError extends Error {
  override name = 'SignatureHeaderError';
}

/** Parses the draft-cavage `Signature` scheme; throws SignatureHeaderError saying what is wrong. */
export function parseSignatureHeader(value: string): SignatureParameters {
  if (value.length > MAX_AUTHORIZATION_LENGTH) throw new SignatureHeaderError('the header is too long');
  const match = /^Signature\s+(.*)$/is.exec(value.trim());
  if (!match?.[1]) throw new SignatureHeaderError('the scheme must be "Signature"');
  const params = new Map<string, string>();
  const rest = match[1];
  const pair = /\s*([A-Za-z]+)="([^"]*)"\s*(?:,|$)/gy;
  let consumed = 0;
  for (let m = pair.exec(rest); m; m = pair.exec(rest)) {
    const [, key = '', text = ''] = m;
    if (params.has(key)) throw new SignatureHeaderError(`${key} is given twice`);
    params.set(key, text);
    consumed = pair.lastIndex;
  }
  if (consumed !== rest.length) throw new SignatureHeaderError('the parameters are not key="value" pairs');
  const version = params.get('version');
  if (version !== undefined && version !== '1') throw new SignatureHeaderError('version must be "1"');
  const algorithm = params.get('algorithm') ?? 'rsa-sha256';
  if (algorithm !== 'rsa-sha256') throw new SignatureHeaderError('algorithm must be "rsa-sha256"');
  const keyId = params.get('keyId');
  const signature = params.get('signature');
  if (!keyId) throw new SignatureHeaderError('keyId is missing');
  if (!signature) throw new SignatureHeaderError('signature is missing');
  // draft-cavage: without a header list, only the Date header is signed.
  const headers = (params.get('headers') ?? 'date')
    .trim()
    .split(/\s+/)
    .map((name) => name.toLowerCase());
  if (headers.length > MAX_SIGNED_HEADERS) throw new SignatureHeaderError('too many signed headers');
  return { keyId, algorithm, headers, signature };
}

/** The `Authorization` value for a signature by `keyId` over `headers`, in the order they were signed. */
export const formatSignatureHeader = (keyId: string, headers: readonly string[], signature: string): string =>
  `Signature version="1",keyId="${keyId}",algorithm="rsa-sha256",headers="${headers.join(' ')}",signature="${signature}"`;
