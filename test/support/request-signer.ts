import type { SignedRequest } from '../../src/crypto/request-signature';

/** A signed request as `fetch` and `new Request` take it. */
export function toRequestInit(signed: SignedRequest): {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
} {
  return {
    method: signed.method,
    headers: signed.headers,
    ...(signed.body === undefined ? {} : { body: signed.body }),
  };
}
