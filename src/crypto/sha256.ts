import { createHash } from 'node:crypto';

/**
 * SHA-256, synchronously. node:crypto hashes in both runtimes (workerd with nodejs_compat); WebCrypto's
 * digest goes through a thread pool in Node and costs some twenty times more for request-sized input.
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  return createHash('sha256').update(data).digest();
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) of the parts joined, each hashed as it is: a large part is not copied into a joined whole. */
export function sha256HexOfParts(parts: readonly (Uint8Array | string)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
