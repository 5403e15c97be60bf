import { Buffer } from 'node:buffer';
import { expect } from 'vitest';
import type { UnsubscribeClaims } from '../../src/domain/feedback/unsubscribe-token';

/** A token sealed on Node under VECTOR_SECRET: it must open on every runtime, after any restart. */
export const VECTOR_SECRET = 'a-fixed-unsubscribe-secret-of-40-characters';
export const VECTOR_CLAIMS: UnsubscribeClaims = {
  region: 'us-phoenix-1',
  tenancyId: 'ocid1.tenancy.oc1..aaaaaaaavectortenancy',
  recipient: 'reader@example.net',
  sender: 'news@example.com',
  messageId: 'vector-1@example.com',
};
export const VECTOR_TOKEN =
  'An4kDJ_n3nzQqZQLsmk3ZiLB_43TkaoMC8HT4cGvvU_l3cME89YiZslAwdBE1WGMH5o7MVqZ3PXKi1FTTPPFIyjip8m5VNW07wA6B21ywyyzqtipsalAsnNtw0bakH4xteS2CZiVSXEJYObJoMBgznfjCqgt3Vk1YWJCcRcTCYdMBI5MhLdOoXiAXw';

export const toBase64Url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
export const fromBase64Url = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'));

/** Copies of `token` with one byte changed in each of its parts, and one cut short. */
export function alteredTokens(token: string): string[] {
  const bytes = fromBase64Url(token);
  const flipped = (at: number) => {
    const copy = Uint8Array.from(bytes);
    copy[at] = (copy[at] ?? 0) ^ 0x01;
    return toBase64Url(copy);
  };
  // the version byte, the nonce, the sealed claims, the tag
  const flips = [0, 1, 20, bytes.length - 1].map(flipped);
  return [...flips, toBase64Url(bytes.subarray(0, bytes.length - 1))];
}

/** Asserts `token` is URL-safe, short, and shows none of the claims: as text, hex or base64 at any alignment. */
export function expectOpaque(token: string, claims: UnsubscribeClaims): void {
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(token.length).toBeLessThan(400);
  const bytes = Buffer.from(fromBase64Url(token));
  const views = [token, bytes.toString('latin1'), bytes.toString('hex'), bytes.toString('base64')];
  const { region, tenancyId, recipient, sender, messageId } = claims;
  for (const value of [region, tenancyId, recipient, sender, messageId]) {
    const bare = Buffer.from(value);
    // base64 of the value at each of the three byte alignments, less the characters its neighbours change
    const encodings = [0, 1, 2].map((shift) =>
      Buffer.concat([Buffer.alloc(shift), bare])
        .toString('base64')
        .slice(4, -4),
    );
    for (const view of views) {
      for (const needle of [value, bare.toString('hex'), ...encodings]) {
        if (needle.length >= 6) expect(view).not.toContain(needle);
      }
      expect(view.toLowerCase()).not.toContain(value.toLowerCase().slice(0, 8));
    }
  }
}
