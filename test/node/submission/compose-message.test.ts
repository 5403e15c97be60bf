import PostalMime, { decodeWords } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { composeMessage, type ComposeInput } from '../../../src/mime/compose-message';
import { quotedPrintable } from '../../../src/mime/body-encoding';
import { encodeWords } from '../../../src/mime/encoded-words';

const base: ComposeInput = {
  from: { email: 'noreply@example.com', name: 'No Reply' },
  replyTo: [],
  to: [{ email: 'alice@example.net', name: 'Alice' }],
  cc: [],
  subject: 'Hello',
  text: 'plain body',
  headerFields: [],
  messageId: 'abc123@example.com',
  date: new Date('2026-01-02T03:04:05.678Z'),
  boundary: '=_boundary0123456789',
};

const headerBlock = (raw: string): string => raw.slice(0, raw.indexOf('\r\n\r\n'));
const lines = (raw: string): string[] => raw.split('\r\n');

describe('composeMessage', () => {
  it('writes the headers byte for byte for a plain ASCII message', () => {
    const raw = composeMessage(base);
    expect(raw).toBe(
      [
        'Date: Fri, 02 Jan 2026 03:04:05 +0000',
        'From: No Reply <noreply@example.com>',
        'Reply-To: No Reply <noreply@example.com>',
        'To: Alice <alice@example.net>',
        'Subject: Hello',
        'Message-ID: <abc123@example.com>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: 7bit',
        '',
        'plain body',
        '',
      ].join('\r\n'),
    );
  });

  it('encodes a UTF-8 subject and display names with RFC 2047 and parses back exactly', async () => {
    const subject = 'Grüße aus Köln ☃ — '.repeat(6);
    const raw = composeMessage({
      ...base,
      subject,
      from: { email: 'noreply@example.com', name: 'Zoë Ünïcode' },
      to: [{ email: 'alice@example.net', name: 'Ålice "the" Tester' }],
      cc: [{ email: 'bob@example.net', name: 'Bob, Jr.' }],
    });
    const header = headerBlock(raw);
    expect(header).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(header).toMatch(/^[\t\r\n\x20-\x7e]*$/);
    for (const line of lines(header)) expect(line.length).toBeLessThanOrEqual(76);
    for (const word of header.match(/=\?[^?]+\?B\?[^?]*\?=/g) ?? [])
      expect(word.length).toBeLessThanOrEqual(75);
    expect(header).toContain('Cc: "Bob, Jr." <bob@example.net>');
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.from).toMatchObject({ name: 'Zoë Ünïcode', address: 'noreply@example.com' });
    expect(parsed.to?.[0]).toMatchObject({ name: 'Ålice "the" Tester', address: 'alice@example.net' });
    expect(parsed.cc?.[0]).toMatchObject({ name: 'Bob, Jr.', address: 'bob@example.net' });
    expect(parsed.messageId).toBe('<abc123@example.com>');
  });

  it('sends text and HTML as multipart/alternative, text first', async () => {
    const raw = composeMessage({ ...base, text: 'plain ☃', html: '<p>html ☃</p>' });
    expect(headerBlock(raw)).toContain(
      'Content-Type: multipart/alternative; boundary="=_boundary0123456789"',
    );
    expect(raw.indexOf('Content-Type: text/plain')).toBeLessThan(raw.indexOf('Content-Type: text/html'));
    expect(raw.endsWith('--=_boundary0123456789--\r\n')).toBe(true);
    const parsed = await PostalMime.parse(raw);
    // postal-mime keeps the line break that ends each part's content.
    expect(parsed.text).toBe('plain ☃\n');
    expect(parsed.html).toBe('<p>html ☃</p>\n');
  });

  it('keeps every line at most 998 octets and restores long lines, dot-leading lines and line breaks', async () => {
    const long = 'x'.repeat(5_000);
    const text = `first\n.\n..dots lead\n${long}\r\n.end\nthe last line `;
    const raw = composeMessage({ ...base, text, html: `<p>${'é'.repeat(3_000)}</p>` });
    for (const line of lines(raw)) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(998);
    expect(raw).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(raw).toContain('Content-Transfer-Encoding: base64');
    expect(lines(raw).some((line) => line.startsWith('.'))).toBe(false);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.text).toBe(`${text.replace(/\r?\n/g, '\n')}\n`);
    // Base64 content decodes to exactly what was encoded: no trailing line break here.
    expect(parsed.html).toBe(`<p>${'é'.repeat(3_000)}</p>`);
  });

  it('defaults Reply-To to the sender, lists several, adds header fields, and never writes Bcc', async () => {
    const raw = composeMessage({
      ...base,
      to: [],
      replyTo: [{ email: 'support@example.com' }, { email: 'help@example.com', name: 'Help' }],
      headerFields: [
        ['X-Campaign', 'test-1'],
        ['X-Note', 'naïve'],
      ],
    });
    const header = headerBlock(raw);
    expect(header).toContain('Reply-To: support@example.com,\r\n Help <help@example.com>');
    expect(header).toContain('To: undisclosed-recipients:;');
    expect(header).toContain('X-Campaign: test-1');
    expect(header).not.toMatch(/^Bcc:/im);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.replyTo?.map((a) => ('address' in a ? a.address : ''))).toEqual([
      'support@example.com',
      'help@example.com',
    ]);
    expect(decodeWords(parsed.headers.find((h) => h.key === 'x-note')?.value ?? '')).toBe('naïve');
  });
});

describe('encoders', () => {
  it('never splits a UTF-8 character across encoded words', () => {
    const words = encodeWords('☃'.repeat(40)).split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      const decoded = new TextDecoder('utf-8', { fatal: true }).decode(
        Uint8Array.from(atob(word.slice(10, -2)), (c) => c.charCodeAt(0)),
      );
      expect(decoded).toMatch(/^☃+$/);
    }
  });

  it('writes quoted-printable with soft breaks at 76 and encodes =, trailing spaces and leading dots', () => {
    expect(quotedPrintable('a=b ')).toBe('a=3Db=20');
    expect(quotedPrintable('.hidden')).toBe('=2Ehidden');
    const long = quotedPrintable('y'.repeat(200));
    for (const line of long.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });
});
