import { derivedMac } from '../../crypto/derived-mac';
/** The envelope sender a copy leaves with under a return path, and back: `b.<delivery id>.<mac>@<return path>`. */
export interface ReturnPathAddresses {
  /** The address naming one copy (one recipient row) of this region. */
  addressFor(region: string, deliveryId: string, returnPathName: string): Promise<string>;
  /** The delivery id an address names, when its mac is ours; undefined for anything else. */
  deliveryIdOf(region: string, address: string): Promise<string | undefined>;
}

const MAC_CHARS = 12; // 60 bits: a forged bounce would have to guess them for one copy
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** One address per line of a header: `b.` then a delivery id, a dot and the mac, at most 64 octets in all. */
export const RETURN_PATH_LOCAL_PART = /\bb\.([a-z0-9]{16,40})\.([a-z2-7]{12})@([a-z0-9.-]+)/gi;
const KEY_INFO = 'return-path address hmac-sha256 v1';

function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** Addresses authenticated with HMAC-SHA-256 under a key derived from `secret` for this one use. */
export function returnPathAddresses(secret: string): ReturnPathAddresses {
  const mac = derivedMac(secret, KEY_INFO);
  const macOf = async (region: string, deliveryId: string) =>
    base32(
      await mac(`${region}
${deliveryId}`),
      MAC_CHARS,
    );

  return {
    async addressFor(region, deliveryId, returnPathName) {
      return `b.${deliveryId}.${await macOf(region, deliveryId)}@${returnPathName}`;
    },
    async deliveryIdOf(region, address) {
      const match = new RegExp(RETURN_PATH_LOCAL_PART.source, 'i').exec(address);
      const [, deliveryId, mac] = match ?? [];
      if (deliveryId === undefined || mac === undefined) return undefined;
      const expected = await macOf(region, deliveryId.toLowerCase());
      return expected === mac.toLowerCase() ? deliveryId.toLowerCase() : undefined;
    },
  };
}
