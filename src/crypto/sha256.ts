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
