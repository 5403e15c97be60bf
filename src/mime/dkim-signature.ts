const FOLD_AT = 78; // RFC 5322 section 2.1.1: lines SHOULD be at most 78 characters
const encoder = new TextEncoder();

/** Signed when present, in this order; From is signed once more than it occurs (RFC 6376 section 8.15). */
const SIGNED_FIELDS = [
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'reply-to',
  'in-reply-to',
  'references',
] as const;

// RFC 5321 sub-domain: what d= and s= may hold (RFC 6376 section 3.5), so neither can break the field.
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_DOMAIN_CHARS = 253;

/** WebCrypto's key type, named without DOM or Node-only type libraries (this module also runs in workerd). */
type SigningKey = Parameters<typeof crypto.subtle.sign>[1];

export interface DkimOptions {
  /** The signing domain `d=`, ASCII (an IDN in A-label form). */
  domain: string;
  selector: string;
  /** An RSASSA-PKCS1-v1_5 SHA-256 key that may sign. */
  key: SigningKey;
  now: Date;
}

interface HeaderField {
  /** Lower-case, without the whitespace before the colon. */
  name: string;
  /** As written, its continuation lines joined by CRLF, without the final CRLF. */
  text: string;
}

function checkName(what: string, name: string): void {
  if (!/^[\x20-\x7e]*$/.test(name)) {
    throw new Error(`the DKIM ${what} must be ASCII (an IDN in A-label form)`);
  }
  if (name.length > MAX_DOMAIN_CHARS || !name.split('.').every((label) => LABEL.test(label))) {
    throw new Error(`the DKIM ${what} is not a domain name`);
  }
}

/** Split at the first empty line; a message may have no body, or no line break after its header. */
function headerAndBody(raw: string): [string, string] {
  if (raw.startsWith('\r\n')) return ['', raw.slice(2)];
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? [raw, ''] : [raw.slice(0, end + 2), raw.slice(end + 4)];
}

function headerFields(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of block.split('\r\n')) {
    const last = fields.at(-1);
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last.text += `\r\n${line}`;
    } else if (line !== '') {
      // A line without a colon is no field; it gets a name no signed field has, keeping its continuations.
      const colon = line.indexOf(':');
      let nameEnd = colon;
      while (line[nameEnd - 1] === ' ' || line[nameEnd - 1] === '\t') nameEnd -= 1;
      const name = colon < 0 ? '' : line.slice(0, nameEnd).toLowerCase();
      fields.push({ name, text: line });
    }
  }
  return fields;
}

/** RFC 6376 section 3.4.2, with the CRLF that ends the field. */
function relaxedHeader(field: HeaderField): string {
  const value = field.text
    .slice(field.text.indexOf(':') + 1)
    .replaceAll('\r\n', '')
    .replace(/[ \t]+/g, ' ');
  const start = value.startsWith(' ') ? 1 : 0;
  const end = value.endsWith(' ') ? value.length - 1 : value.length;
  return `${field.name}:${value.slice(start, Math.max(start, end))}\r\n`;
}

const [SP, HT, CR, LF] = [0x20, 0x09, 0x0d, 0x0a];

/**
 * RFC 6376 section 3.4.4 over the UTF-8 octets, in one pass and in place (no multi-octet character holds
 * an ASCII octet): an empty body stays empty, any other ends in exactly one CRLF.
 */
function relaxedBody(body: string): Uint8Array {
  const octets = encoder.encode(body);
  let length = 0;
  for (let read = 0; read < octets.length;) {
    const octet = octets[read] ?? 0;
    if (octet !== SP && octet !== HT) {
      octets[length++] = octet;
      read += 1;
      continue;
    }
    let end = read + 1;
    while (octets[end] === SP || octets[end] === HT) end += 1;
    // A run of WSP becomes one space, or nothing at the end of a line.
    if (end < octets.length && !(octets[end] === CR && octets[end + 1] === LF)) octets[length++] = SP;
    read = end;
  }
  while (length >= 2 && octets[length - 2] === CR && octets[length - 1] === LF) length -= 2;
  if (length === 0) return octets.subarray(0, 0);
  const canonical = length + 2 <= octets.length ? octets : new Uint8Array(length + 2);
  if (canonical !== octets) canonical.set(octets.subarray(0, length));
  canonical[length] = CR;
  canonical[length + 1] = LF;
  return canonical.subarray(0, length + 2);
}

type Word = { text: string; gap: ' ' | '' } | { chars: string };

/**
 * Lays the words out greedily on lines of at most 78 characters, continuation lines starting with a tab;
 * `chars` may break anywhere. Each line depends only on what precedes it, so a prefix of the words lays
 * out as a prefix of the text.
 */
function folded(start: string, words: Word[]): string {
  const lines: string[] = [];
  let line = start;
  const fold = () => {
    lines.push(line);
    line = '\t';
  };
  for (const word of words) {
    if ('chars' in word) {
      for (let rest = word.chars; rest !== '';) {
        if (line.length >= FOLD_AT) fold();
        const room = FOLD_AT - line.length;
        line += rest.slice(0, room);
        rest = rest.slice(room);
      }
    } else {
      if (line.length + word.gap.length + word.text.length > FOLD_AT && line.trim() !== '') {
        fold();
        line += word.text;
      } else {
        line += word.gap + word.text;
      }
    }
  }
  lines.push(line);
  return lines.join('\r\n');
}

function dkimField(
  tags: Record<'d' | 's' | 't' | 'bh', string>,
  signed: string[],
  signature: string,
): string {
  const tag = (name: string, value: string): Word => ({ text: `${name}=${value};`, gap: ' ' });
  const [first = '', ...rest] = signed;
  return folded('DKIM-Signature:', [
    tag('v', '1'),
    tag('a', 'rsa-sha256'),
    tag('c', 'relaxed/relaxed'),
    tag('d', tags.d),
    tag('s', tags.s),
    tag('t', tags.t),
    tag('bh', tags.bh),
    // RFC 6376 section 3.5 allows FWS around each colon of h=.
    { text: `h=${first}${rest.length === 0 ? ';' : ''}`, gap: ' ' },
    ...rest.map((name, index): Word => ({
      text: `:${name}${index === rest.length - 1 ? ';' : ''}`,
      gap: '',
    })),
    { text: 'b=', gap: ' ' },
    { chars: signature },
  ]);
}

const base64Of = (bytes: ArrayBuffer): string => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/**
 * The message with a relaxed/relaxed rsa-sha256 DKIM-Signature field prepended (RFC 6376). `raw` has CRLF
 * line breaks and is hashed as UTF-8.
 */
export async function signDkim(raw: string, options: DkimOptions): Promise<string> {
  const { domain, selector, key, now } = options;
  checkName('domain', domain);
  checkName('selector', selector);
  if (Number.isNaN(now.getTime())) throw new Error('the signing time is not a valid date');
  const algorithm = key.algorithm as { name?: string; hash?: { name?: string } };
  if (algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.hash?.name !== 'SHA-256') {
    throw new Error('the DKIM key must be an RSASSA-PKCS1-v1_5 SHA-256 key');
  }

  const [headerBlock, body] = headerAndBody(raw);
  const byName = new Map<string, HeaderField[]>();
  for (const field of headerFields(headerBlock)) {
    const named = byName.get(field.name);
    if (named) named.push(field);
    else byName.set(field.name, [field]);
  }
  if (!byName.has('from')) throw new Error('the message has no From field to sign');
  const signed: string[] = [];
  let canonical = '';
  for (const name of SIGNED_FIELDS) {
    // RFC 6376 section 5.4.2: repeated fields are signed from the bottom up, each name listed per instance.
    for (const field of (byName.get(name) ?? []).toReversed()) {
      signed.push(name);
      canonical += relaxedHeader(field);
    }
  }
  signed.splice(signed.lastIndexOf('from') + 1, 0, 'from');

  const bodyHash = await crypto.subtle.digest('SHA-256', relaxedBody(body));
  const tags = {
    d: domain,
    s: selector,
    t: String(Math.floor(now.getTime() / 1000)),
    bh: base64Of(bodyHash),
  };
  // RFC 6376 section 3.7: the field itself is signed with an empty b= and without its final CRLF.
  const unsigned = relaxedHeader({ name: 'dkim-signature', text: dkimField(tags, signed, '') }).slice(0, -2);
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, encoder.encode(canonical + unsigned));
  return `${dkimField(tags, signed, base64Of(signature))}\r\n${raw}`;
}
