import { DomainError } from '../domain/errors';
import type { PagePosition } from '../values/page';

const CHECKSUM_BYTES = 12;
const MAX_TOKEN_LENGTH = 1024; // a position is a sort key and an OCID; anything longer is not ours

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

async function checksum(query: string, payload: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array([...encoder.encode(query), 0, ...payload]);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input)).slice(0, CHECKSUM_BYTES);
}

const invalidToken = (): DomainError =>
  new DomainError('InvalidParameter', 'page: not a page token issued for this query');

/**
 * `opc-next-page` tokens: URL-safe ([A-Za-z0-9_-]) and bound to the query that issued them, so a token
 * that was altered, or replayed against other filters or another sort, is refused instead of misread.
 */
export async function encodePageToken(query: string, position: PagePosition): Promise<string> {
  const payload = encoder.encode(JSON.stringify(position.after));
  const sum = await checksum(query, payload);
  return toBase64Url(new Uint8Array([...payload, ...sum]));
}

export async function decodePageToken(
  query: string,
  token: string,
  sortKeyType: 'string' | 'number',
): Promise<PagePosition> {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalidToken();
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(token);
  } catch {
    throw invalidToken();
  }
  if (bytes.length <= CHECKSUM_BYTES) throw invalidToken();
  const payload = bytes.slice(0, -CHECKSUM_BYTES);
  const expected = await checksum(query, payload);
  const given = bytes.slice(-CHECKSUM_BYTES);
  if (!expected.every((byte, i) => byte === given[i])) throw invalidToken();
  let after: unknown;
  try {
    after = JSON.parse(decoder.decode(payload));
  } catch {
    throw invalidToken();
  }
  if (
    !Array.isArray(after) ||
    after.length !== 2 ||
    typeof after[0] !== sortKeyType ||
    typeof after[1] !== 'string'
  ) {
    throw invalidToken();
  }
  return { after: [after[0] as string | number, after[1]] };
}
