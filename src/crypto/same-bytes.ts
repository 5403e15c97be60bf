import { sha256 } from './sha256';

/** Whether two byte strings are equal, in time that depends on their length only (secrets, hashes). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** Equal secrets, compared through their SHA-256 digests so the time taken says nothing about either. */
export const sameSecret = (given: string, expected: string): boolean =>
  sameBytes(sha256(given), sha256(expected));
