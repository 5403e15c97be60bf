import { sha256HexOfParts } from '../../crypto/sha256';

/** SHA-256 (hex) of what the caller sent: a retry or a reused Message-ID is compared by it. */
export function contentHash(parts: readonly string[]): string {
  // Lengths first, so no two different part lists can join into the same text.
  return sha256HexOfParts([`${parts.map((part) => part.length).join(',')}\n`, ...parts]);
}
