import { fromBase64, toBase64 } from '../identity/base64';

/** Who asked not to get mail from whom: everything a one-click POST needs, signed so it cannot be forged. */
export interface UnsubscribeClaims {
  region: string;
  tenancyId: string;
  recipient: string;
  sender: string;
  /** Without angle brackets. */
  messageId: string;
}

const TOKEN_VERSION = 'u1';
/** Five fields of at most 254 characters each, base64url, plus a 43-character MAC. */
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

/** Signs and checks unsubscribe tokens with HMAC-SHA256 (WebCrypto) under one secret. */
export interface UnsubscribeTokens {
  sign(claims: UnsubscribeClaims): Promise<string>;
  /** The claims of a token this secret signed, or undefined for anything else. */
  verify(token: string): Promise<UnsubscribeClaims | undefined>;
}

export function unsubscribeTokens(secret: string): UnsubscribeTokens {
  type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
  let key: Promise<HmacKey> | undefined;
  const hmacKey = (): Promise<HmacKey> =>
    (key ??= crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    ));
  const signed = (payload: string): Uint8Array => encoder.encode(`${TOKEN_VERSION}.${payload}`);

  return {
    async sign(claims) {
      const fields = [claims.region, claims.tenancyId, claims.recipient, claims.sender, claims.messageId];
      if (fields.some((field) => field.includes(FIELD_SEPARATOR)))
        throw new Error('a claim holds a line break');
      const payload = toBase64Url(encoder.encode(fields.join(FIELD_SEPARATOR)));
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(), signed(payload)));
      return `${TOKEN_VERSION}.${payload}.${toBase64Url(mac)}`;
    },

    async verify(token) {
      if (token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return undefined;
      const [version, payload, macText, ...rest] = token.split('.');
      if (version !== TOKEN_VERSION || payload === undefined || macText === undefined || rest.length > 0) {
        return undefined;
      }
      const mac = fromBase64Url(macText);
      const bytes = fromBase64Url(payload);
      if (!mac || !bytes) return undefined;
      // verify() compares in constant time.
      if (!(await crypto.subtle.verify('HMAC', await hmacKey(), mac, signed(payload)))) return undefined;
      let fields: string[];
      try {
        fields = decoder.decode(bytes).split(FIELD_SEPARATOR);
      } catch {
        return undefined;
      }
      const [region, tenancyId, recipient, sender, messageId] = fields;
      if (fields.length !== 5 || !region || !tenancyId || !recipient || !sender || !messageId)
        return undefined;
      return { region, tenancyId, recipient, sender, messageId };
    },
  };
}
