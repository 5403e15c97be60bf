import type { Clock } from '../domain/ports';
import { sdkSignedHeaders, signRequest, type Principal } from '../crypto/request-signature';

const API_TIMEOUT_MS = 30_000; // a submission of the largest message over a slow link; SMTP clients wait longer
const MAX_ERROR_TEXT = 1_000; // an OCI error body is a code and a sentence

export interface ApiAnswer {
  status: number;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
}

export interface ApiCall {
  method: 'GET' | 'POST';
  /** Path and query from the API's root, e.g. `/20160918/compartments?compartmentId=...`. */
  path: string;
  /** A user of the key's tenancy to act for (`opc-on-behalf-of`). */
  onBehalfOf?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

/** Signed calls to the remote API as the ingress's service user. Network failures throw. */
export interface ApiClient {
  call(request: ApiCall): Promise<ApiAnswer>;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = (await response.text()).slice(0, response.ok ? undefined : MAX_ERROR_TEXT);
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Signed as the ingress's own API key: a service user of the API's tenancy. */
export function apiClient(baseUrl: string, key: Principal, clock: Clock): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    async call(request) {
      const url = `${root}${request.path}`;
      const headers = {
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
        ...(request.onBehalfOf === undefined ? {} : { 'opc-on-behalf-of': request.onBehalfOf }),
      };
      // Every header the ingress sets is signed: the envelope and the user it acts for among them.
      const signedHeaders = [
        ...new Set(
          [...sdkSignedHeaders(request.method), ...Object.keys(headers)].map((name) => name.toLowerCase()),
        ),
      ];
      const signed = await signRequest(key, request.method, url, request.body, headers, {
        now: clock.now(),
        signedHeaders,
      });
      const response = await fetch(url, {
        method: request.method,
        headers: signed.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      });
      return { status: response.status, body: await bodyOf(response) };
    },
  };
}
