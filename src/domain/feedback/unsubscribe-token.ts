import { fromBase64, toBase64 } from '../../crypto/base64';

/** Who asked not to get mail from whom: everything a one-click POST needs, sealed so it cannot be forged. */
export interface UnsubscribeClaims {
  region: string;
  tenancyId: string;
  recipient: string;
  sender: string;
  /** Without angle brackets. */
  messageId: string;
}

/** The token's first byte; authenticated with the ciphertext, so a token of another layout never opens. */
const TOKEN_VERSION = 2;
const IV_BYTES = 12; // AES-GCM's standard nonce, drawn at random for every token
const TAG_BYTES = 16;
/** Binds the derived key to this one use of the secret. */
const KEY_INFO = 'unsubscribe-token aes-256-gcm v2';
/** Five fields of at most 254 characters each, sealed and in base64url. */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 2_048;
const FIELD_SEPARATOR = '\n';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const toBase64Url = (bytes: Uint8Array): string =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    return fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
}

/**
 * Seals and opens unsubscribe tokens: AES-256-GCM (WebCrypto) under a key derived from one secret with
 * HKDF-SHA-256. A token reveals nothing of its claims, and any change to it makes it fail to open.
 */
export interface UnsubscribeTokens {
  seal(claims: UnsubscribeClaims): Promise<string>;
  /** The claims of a token sealed under this secret, or undefined for anything else. */
  open(token: string): Promise<UnsubscribeClaims | undefined>;
}

/** `randomBytes` supplies each token's nonce. */
export function unsubscribeTokens(
  secret: string,
  randomBytes: (length: number) => Uint8Array,
): UnsubscribeTokens {
  type AesKey = Awaited<ReturnType<typeof crypto.subtle.deriveKey>>;
  let key: Promise<AesKey> | undefined;
  const aesKey = (): Promise<AesKey> =>
    (key ??= crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(KEY_INFO) },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      ));
  const version = new Uint8Array([TOKEN_VERSION]);

  return {
    async seal(claims) {
      const fields = [claims.region, claims.tenancyId, claims.recipient, claims.sender, claims.messageId];
      if (fields.some((field) => field.includes(FIELD_SEPARATOR)))
        throw new Error('a claim holds a line break');
      const iv = randomBytes(IV_BYTES);
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: version },
        await aesKey(),
        encoder.encode(fields.join(FIELD_SEPARATOR)),
      );
      const token = new Uint8Array(1 + IV_BYTES + sealed.byteLength);
      token.set(version, 0);
      token.set(iv, 1);
      token.set(new Uint8Array(sealed), 1 + IV_BYTES);
      return toBase64Url(token);
    },

    async open(token) {
      if (token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return undefined;
      const bytes = fromBase64Url(token);
      if (!bytes || bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== TOKEN_VERSION) return undefined;
      let fields: string[];
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(1, 1 + IV_BYTES), additionalData: version },
          await aesKey(),
          bytes.subarray(1 + IV_BYTES),
        );
        fields = decoder.decode(plain).split(FIELD_SEPARATOR);
      } catch {
        return undefined; // altered, sealed under another secret, or not UTF-8
      }
      const [region, tenancyId, recipient, sender, messageId] = fields;
      if (fields.length !== 5 || !region || !tenancyId || !recipient || !sender || !messageId)
        return undefined;
      return { region, tenancyId, recipient, sender, messageId };
    },
  };
}
