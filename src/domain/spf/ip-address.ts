export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes in network order. */
  bytes: Uint8Array;
}

const MAX_IPV6_TEXT = 45; // the longest IPv6 text form, with an embedded IPv4 address
const DEC_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

export function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => DEC_OCTET.test(part))) return undefined;
  return { family: 4, bytes: Uint8Array.from(parts, Number) };
}

/** 16-bit groups of `parts`; the last part may be dotted IPv4 when `v4Tail` allows it. */
function groupsOf(parts: string[], v4Tail: boolean): number[] | undefined {
  const words: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (v4Tail && index === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = v4.bytes;
      words.push((a << 8) | b, (c << 8) | d);
    } else if (HEX_GROUP.test(part)) {
      words.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return words;
}

export function parseIpv6(text: string): IpAddress | undefined {
  if (text.length > MAX_IPV6_TEXT) return undefined;
  const gap = text.indexOf('::');
  if (gap !== text.lastIndexOf('::')) return undefined;
  const split = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let words: number[] | undefined;
  if (gap < 0) {
    words = groupsOf(split(text), true);
    if (words?.length !== 8) return undefined;
  } else {
    const left = groupsOf(split(text.slice(0, gap)), false);
    const right = groupsOf(split(text.slice(gap + 2)), true);
    if (!left || !right || left.length + right.length > 7) return undefined;
    words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return { family: 6, bytes };
}

export function parseIp(text: string): IpAddress | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address it carries. */
export function unmapIpv4(ip: IpAddress): IpAddress {
  const mapped =
    ip.family === 6 &&
    ip.bytes.subarray(0, 10).every((b) => b === 0) &&
    ip.bytes[10] === 0xff &&
    ip.bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

/** Whether `ip` lies in `network`/`prefixLength`; addresses of different families never match. */
export function inNetwork(ip: IpAddress, network: IpAddress, prefixLength: number): boolean {
  if (ip.family !== network.family) return false;
  const fullBytes = Math.floor(prefixLength / 8);
  for (let i = 0; i < fullBytes; i++) if (ip.bytes[i] !== network.bytes[i]) return false;
  const restBits = prefixLength % 8;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return ((ip.bytes[fullBytes] ?? 0) & mask) === ((network.bytes[fullBytes] ?? 0) & mask);
}

/** The `%{i}` macro's form (RFC 7208 section 7.3): dotted quad, or 32 dot-separated nibbles for IPv6. */
export function macroFormOf(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  return Array.from(ip.bytes, (b) => `${(b >> 4).toString(16)}.${(b & 15).toString(16)}`).join('.');
}
