import { generateKeyPairSync } from 'node:crypto';
import type { DNSResolver } from 'mailauth';
// The verifier's own module: mailauth's package entry also loads undici 8, which needs Node 22.
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dkimTxtRecord,
  generateDkimKey,
  importDkimPrivateKey,
  signingKeyOf,
  type DkimKey,
  DkimKeyRefused,
} from '../../../src/crypto/dkim-keys';
import { signDkim } from '../../../src/mime/dkim-signature';

const DOMAIN = 'example.com';
const SELECTOR = 'sel-20260102';
const NOW = new Date('2026-01-02T03:04:05Z');

const MESSAGE = [
  'From: Sender <app@example.com>',
  'To: someone@example.net',
  'Subject: A DKIM test',
  'Date: Fri, 02 Jan 2026 03:04:05 +0000',
  'Message-ID: <1@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: 7bit',
  'List-Unsubscribe: <https://example.com/u/1>',
  'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
  '',
  'Hello,',
  '',
  'this is the body.',
  '',
].join('\r\n');

let generated: DkimKey;

beforeAll(async () => {
  generated = await generateDkimKey();
});

/** Signs `raw` as DOMAIN/SELECTOR at NOW. */
async function signed(raw: string, key: DkimKey = generated, domain = DOMAIN): Promise<string> {
  return signDkim(raw, {
    domain,
    selector: SELECTOR,
    key: await signingKeyOf(key.privateKeyPkcs8),
    now: NOW,
  });
}

/** mailauth's verdict on the message's first signature, with the key's TXT record served from memory. */
async function verdict(message: string, key: DkimKey = generated, domain = DOMAIN): Promise<string> {
  // A TXT record's strings hold at most 255 octets; a 2048-bit key's record needs two.
  const records = new Map([
    [`${SELECTOR}._domainkey.${domain}`, dkimTxtRecord(key.publicKeySpkiBase64).match(/.{1,255}/g) ?? []],
  ]);
  const resolver: DNSResolver = (name, rrtype) => {
    const found = rrtype === 'TXT' ? records.get(name) : undefined;
    if (found) return Promise.resolve([found]);
    return Promise.reject(Object.assign(new Error(`no ${rrtype} for ${name}`), { code: 'ENOTFOUND' }));
  };
  const result = await dkimVerify(Buffer.from(message, 'utf8'), { resolver, strict: true, curTime: NOW });
  return result.results[0]?.status.result ?? 'none';
}

/** The DKIM-Signature field (folded, without its final CRLF) that signDkim put before `raw`. */
const fieldOf = (message: string, raw: string): string => message.slice(0, message.length - raw.length - 2);

/** The field's tag value, unfolded. */
function tagOf(field: string, tag: string): string | undefined {
  const unfolded = field.replace(/\r\n[ \t]/g, ' ');
  return new RegExp(`[:; ]${tag}=([^;]*)`).exec(unfolded)?.[1]?.replace(/\s+/g, '');
}

/** `message` with `from` replaced by `to`, asserting it was there. */
function changed(message: string, from: string, to: string): string {
  expect(message).toContain(from);
  return message.replace(from, to);
}

describe('signDkim signs so that an independent verifier (mailauth) passes it', () => {
  it('passes with a generated key, whose TXT record is v=DKIM1; k=rsa; p=<spki>', async () => {
    expect(generated.keyLength).toBe(2048);
    expect(dkimTxtRecord(generated.publicKeySpkiBase64)).toBe(
      `v=DKIM1; k=rsa; p=${generated.publicKeySpkiBase64}`,
    );
    const message = await signed(MESSAGE);
    expect(message.endsWith(`\r\n${MESSAGE}`)).toBe(true);
    expect(await verdict(message)).toBe('pass');
  });

  it.each(['pkcs1', 'pkcs8'] as const)('passes with an imported %s PEM key', async (type) => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type, format: 'pem' },
    });
    const imported = await importDkimPrivateKey(privateKey);
    expect(imported.keyLength).toBe(2048);
    expect(imported.publicKeySpkiBase64).toBe(publicKey.toString('base64'));
    expect(await verdict(await signed(MESSAGE, imported), imported)).toBe('pass');
  });

  it('passes with a 1024-bit key, the shortest accepted', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const imported = await importDkimPrivateKey(privateKey);
    expect(imported.keyLength).toBe(1024);
    expect(await verdict(await signed(MESSAGE, imported), imported)).toBe('pass');
  });

  it('gives a non-extractable key that can only sign', async () => {
    const key = await signingKeyOf(generated.privateKeyPkcs8);
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['sign']);
  });

  it('fails once the body changes', async () => {
    const message = await signed(MESSAGE);
    expect(await verdict(changed(message, 'this is the body.', 'this is the bodY.'))).toBe('fail');
    expect(await verdict(`${message}P.S.\r\n`)).toBe('fail');
  });

  it('fails once the Subject changes', async () => {
    const message = await signed(MESSAGE);
    expect(await verdict(changed(message, 'Subject: A DKIM test', 'Subject: A DKIM tset'))).toBe('fail');
  });

  it('over-signs From: a From added above or below the signed one fails', async () => {
    const message = await signed(MESSAGE);
    const field = tagOf(fieldOf(message, MESSAGE), 'h');
    expect(field?.split(':').filter((name) => name === 'from')).toHaveLength(2);
    const extra = 'From: Someone Else <ceo@example.com>\r\n';
    expect(await verdict(changed(message, 'From: Sender', `${extra}From: Sender`))).toBe('fail');
    expect(await verdict(changed(message, 'To: someone', `${extra}To: someone`))).toBe('fail');
  });

  it('signs List-Unsubscribe and List-Unsubscribe-Post; changing List-Unsubscribe fails', async () => {
    const message = await signed(MESSAGE);
    expect(tagOf(fieldOf(message, MESSAGE), 'h')?.split(':')).toEqual([
      'from',
      'from',
      'to',
      'subject',
      'date',
      'message-id',
      'mime-version',
      'content-type',
      'content-transfer-encoding',
      'list-unsubscribe',
      'list-unsubscribe-post',
    ]);
    const tampered = changed(message, '<https://example.com/u/1>', '<https://evil.example/u/1>');
    expect(await verdict(tampered)).toBe('fail');
    expect(await verdict(changed(message, 'One-Click', 'one-click'))).toBe('fail');
  });

  it('signs each instance of a repeated field, bottom up', async () => {
    const raw = changed(MESSAGE, 'To: someone@example.net\r\n', 'To: a@example.net\r\nTo: b@example.net\r\n');
    const message = await signed(raw);
    expect(tagOf(fieldOf(message, raw), 'h')).toMatch(/^from:from:to:to:subject:/);
    expect(await verdict(message)).toBe('pass');
    const swapped = changed(
      message,
      'To: a@example.net\r\nTo: b@example.net',
      'To: b@example.net\r\nTo: a@example.net',
    );
    expect(await verdict(swapped)).toBe('fail');
  });

  it('still passes after changes relaxed canonicalization ignores', async () => {
    const message = await signed(MESSAGE);
    let relaxed = changed(message, 'Subject: A DKIM test', 'SUBJECT :  A\r\n \t DKIM\r\n\ttest  ');
    relaxed = changed(relaxed, 'Hello,\r\n', 'Hello,  \t\r\n');
    relaxed = changed(relaxed, 'this is the body.', 'this  is\tthe body. ');
    relaxed += '\r\n \r\n\r\n';
    expect(await verdict(relaxed)).toBe('pass');
  });

  it('passes with a UTF-8 body sent as 8bit, and UTF-8 in a header', async () => {
    const raw = [
      'From: Sender <app@example.com>',
      'To: jürgen@example.net',
      'Subject: Grüße aus Köln 🌍',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Grüße,   Jürgen — 日本語のテキスト 🌍 ',
      '',
    ].join('\r\n');
    expect(await verdict(await signed(raw))).toBe('pass');
  });

  it.each([
    ['no body', 'From: app@example.com\r\nSubject: none\r\n'],
    ['no line break after the header', 'From: app@example.com\r\nSubject: none'],
    ['an empty body', 'From: app@example.com\r\n\r\n'],
    ['a body of blank lines', 'From: app@example.com\r\n\r\n\r\n  \r\n\t\r\n'],
    ['a body without a final line break', 'From: app@example.com\r\n\r\nlast line  '],
    ['whitespace runs and trailing whitespace', 'From: app@example.com\r\n\r\none \t\r\n two\t\t 2 \r\n'],
  ])('passes with %s', async (_case, raw) => {
    expect(await verdict(await signed(raw))).toBe('pass');
  });

  it('signs for a domain in A-label form and refuses a U-label or a malformed name', async () => {
    const domain = 'xn--bcher-kva.example';
    expect(await verdict(await signed(MESSAGE, generated, domain), generated, domain)).toBe('pass');
    await expect(signed(MESSAGE, generated, 'bücher.example')).rejects.toThrow(/ASCII/);
    await expect(signed(MESSAGE, generated, 'example.com; s=other')).rejects.toThrow(/not a domain name/);
  });

  it('refuses a message without a From field', async () => {
    await expect(signed('To: a@example.net\r\n\r\nbody\r\n')).rejects.toThrow(/From/);
  });

  it('folds the field so no line is longer than 78 characters', async () => {
    const recipients = Array.from({ length: 12 }, (_, i) => `To: r${i}@example.net\r\n`).join('');
    const raw = changed(MESSAGE, 'To: someone@example.net\r\n', recipients);
    const message = await signed(raw);
    const field = fieldOf(message, raw);
    const lines = field.split('\r\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    expect(lines.slice(1).every((line) => line.startsWith('\t'))).toBe(true);
    expect(tagOf(field, 'b')).toHaveLength(344);
    expect(await verdict(message)).toBe('pass');
  });

  it('writes v=1, a=rsa-sha256, c=relaxed/relaxed, d=, s=, t= and bh=', async () => {
    const field = fieldOf(await signed(MESSAGE), MESSAGE);
    expect(field.startsWith('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;')).toBe(true);
    expect(tagOf(field, 'd')).toBe(DOMAIN);
    expect(tagOf(field, 's')).toBe(SELECTOR);
    expect(tagOf(field, 't')).toBe(String(NOW.getTime() / 1000));
    expect(tagOf(field, 'bh')).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('is deterministic for the same key, time and message', async () => {
    expect(await signed(MESSAGE)).toBe(await signed(MESSAGE));
  });

  it('signs a 5 MB body, whitespace runs included, in linear time', { timeout: 5_000 }, async () => {
    const line = `${'word \t '.repeat(10)}${' '.repeat(200)}\r\n`;
    const body = line.repeat(Math.ceil(5_000_000 / 2 / line.length)) + ' \t'.repeat(1_250_000);
    const raw = `From: app@example.com\r\nSubject: big\r\n\r\n${body}`;
    const message = await signed(raw);
    expect(message.length).toBeGreaterThan(5_000_000);
    expect(await verdict(message)).toBe('pass');
  });
});

describe('importDkimPrivateKey refuses what is not a usable RSA key, without quoting it', () => {
  const rsa = (modulusLength: number) =>
    generateKeyPairSync('rsa', {
      modulusLength,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    }).privateKey;
  const ec = (type: 'pkcs8' | 'sec1') =>
    generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type, format: 'pem' },
    }).privateKey;
  const encrypted = (type: 'pkcs1' | 'pkcs8') =>
    generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type, format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' },
    }).privateKey;
  const wrapped = (label: string, body: string) =>
    `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;

  // Generating an 8192-bit key takes several seconds, and one just over 4096 bits 1 to 4: the upper bound
  // is left untested here.
  it.each<[string, () => string, RegExp]>([
    ['garbage', () => 'this is not a key at all', /must be an unencrypted RSA private key/],
    ['an empty string', () => '', /must be an unencrypted RSA private key/],
    ['a public key', () => wrapped('PUBLIC KEY', rsa(1024).split('\n')[1]!), /must be an unencrypted RSA/],
    ['bad base64 inside the markers', () => wrapped('PRIVATE KEY', 'AAAA*AAA'), /must be an unencrypted RSA/],
    ['a truncated PKCS#1 key', () => wrapped('RSA PRIVATE KEY', 'MIIBOgIBAAJBAKj34GkxFhD9'), /must be/],
    ['mismatched markers', () => rsa(1024).replace('END PRIVATE KEY', 'END RSA PRIVATE KEY'), /must be/],
    ['an EC key in PKCS#8', () => ec('pkcs8'), /must be an unencrypted RSA private key/],
    ['an EC key in SEC 1', () => ec('sec1'), /must be an unencrypted RSA private key/],
    ['an encrypted PKCS#8 key', () => encrypted('pkcs8'), /is encrypted/],
    ['an encrypted PKCS#1 key', () => encrypted('pkcs1'), /is encrypted/],
    ['a 512-bit key', () => rsa(512), /must be 1024 to 4096 bits long, not 512/],
    ['a PEM over 16 KB', () => wrapped('PRIVATE KEY', 'A'.repeat(16_400)), /at most 16384 characters/],
  ])('refuses %s', async (_case, pemOf, problem) => {
    const pem = pemOf();
    const error: unknown = await importDkimPrivateKey(pem).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DkimKeyRefused);
    expect(error).toMatchObject({ message: expect.stringMatching(problem) });
    const message = (error as DkimKeyRefused).message;
    for (const line of pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) {
      expect(message).not.toContain(line.slice(0, 16));
    }
  });
});
