import type { Clock, DnsLookup, DnsRecordType, Resolver } from '../domain/ports';
import { AnswerCache } from './answer-cache';
import { encodeQuery, readAnswer, type DnsAnswer } from './dns-message';

export const DOH_REQUEST_TIMEOUT_MS = 3_000; // a resolver slower than this counts as down for this check
export const MAX_DOH_RESPONSE_BYTES = 65_535; // the largest DNS message there is (RFC 8484 section 6)
const MAX_QUERY_NAME_LENGTH = 253; // longer names are not DNS names; refuse before asking
const MAX_LABEL_LENGTH = 63; // RFC 1035 section 2.3.4
const DNS_MESSAGE = 'application/dns-message';

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface DohResolverOptions {
  /** The RFC 8484 endpoint, e.g. https://cloudflare-dns.com/dns-query. */
  url: string;
  fetch: Fetch;
  clock: Clock;
  timeoutMs?: number;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The body, or undefined when it grows past `limit` bytes. */
async function readBounded(response: Response, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit || !response.body) {
    await response.body?.cancel();
    return declared > limit ? undefined : new Uint8Array(0);
  }
  const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const failure = (reason: string) => ({ lookup: { kind: 'temperror', reason }, ttlSeconds: 0 }) as const;

/** A Resolver over DNS-over-HTTPS (RFC 8484, GET with `?dns=`), caching answers for their TTL. */
export function createDohResolver(options: DohResolverOptions): Resolver {
  const cache = new AnswerCache<DnsLookup<DnsRecordType>>(options.clock);
  const timeoutMs = options.timeoutMs ?? DOH_REQUEST_TIMEOUT_MS;

  async function ask<T extends DnsRecordType>(
    name: string,
    type: T,
    signal?: AbortSignal,
  ): Promise<DnsAnswer<T>> {
    const url = new URL(options.url);
    url.searchParams.set('dns', base64Url(encodeQuery(name, type)));
    const deadline = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await options.fetch(url.toString(), {
        method: 'GET',
        headers: { accept: DNS_MESSAGE },
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
    } catch (error) {
      const timedOut = deadline.aborted || signal?.aborted;
      return failure(
        timedOut
          ? 'the resolver did not answer in time'
          : `the resolver is unreachable (${(error as Error).name})`,
      );
    }
    try {
      const contentType = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !contentType.toLowerCase().startsWith(DNS_MESSAGE)) {
        await response.body?.cancel();
        return failure(`the resolver answered HTTP ${response.status} ${contentType}`.trim());
      }
      const body = await readBounded(response, MAX_DOH_RESPONSE_BYTES);
      if (!body) return failure(`the resolver's answer is larger than ${MAX_DOH_RESPONSE_BYTES} bytes`);
      return readAnswer(body, name, type);
    } catch {
      const timedOut = deadline.aborted || signal?.aborted;
      return failure(
        timedOut ? 'the resolver did not answer in time' : 'the resolver connection failed while answering',
      );
    }
  }

  return {
    async lookup<T extends DnsRecordType>(
      rawName: string,
      type: T,
      signal?: AbortSignal,
    ): Promise<DnsLookup<T>> {
      const name = rawName.toLowerCase().replace(/\.$/, '');
      const labels = name.split('.');
      if (
        name.length > MAX_QUERY_NAME_LENGTH ||
        labels.some((l) => l.length === 0 || l.length > MAX_LABEL_LENGTH)
      ) {
        return { kind: 'empty', nxdomain: true }; // no such name can exist in DNS
      }
      const key = `${type} ${name}`;
      const cached = cache.get(key) as DnsLookup<T> | undefined;
      if (cached) return cached;
      const answer = await ask(name, type, signal);
      if (answer.lookup.kind !== 'temperror') cache.set(key, answer.lookup, answer.ttlSeconds);
      return answer.lookup;
    },
  };
}
