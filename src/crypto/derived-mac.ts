const encoder = new TextEncoder();

/**
 * HMAC-SHA-256 under a key derived from `secret` with HKDF-SHA-256 for the one use `info` names, so one
 * secret keys several uses without any of them learning another's key.
 */
export function derivedMac(secret: string, info: string): (text: string) => Promise<Uint8Array> {
  const key = crypto.subtle
    .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
    .then((base) =>
      crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) },
        base,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      ),
    );
  return async (text) => new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(text)));
}
