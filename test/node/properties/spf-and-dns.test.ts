import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQuery, readAnswer } from '../../../src/dns/dns-message';
import { parseIpv4 } from '../../../src/domain/spf/ip-address';
import { expandMacros, parseDomainSpec } from '../../../src/domain/spf/macro';
import { parseSpfRecord } from '../../../src/domain/spf/parse-record';
import { finishesWithinASecond, megabyteOf, SEEDED } from './bounds';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `${labels.join('.')}.example`);
const qualifier = fc.constantFrom('', '+', '-', '~', '?');
const term = fc.oneof(
  fc.tuple(qualifier, domain).map(([q, d]) => `${q}include:${d}`),
  fc.tuple(qualifier, fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([q, ip, n]) => `${q}ip4:${ip}/${n}`),
  fc.tuple(qualifier, fc.ipV6()).map(([q, ip]) => `${q}ip6:${ip}`),
  fc.tuple(qualifier, fc.option(domain, { nil: undefined })).map(([q, d]) => `${q}a${d ? `:${d}` : ''}`),
  fc.tuple(qualifier, fc.option(domain, { nil: undefined })).map(([q, d]) => `${q}mx${d ? `:${d}` : ''}`),
);

describe('SPF records', () => {
  it('are parsed or refused with a reason, whatever they say', () => {
    const words = fc.constantFrom(
      'v=spf1',
      'include:',
      'ip4:',
      'ip6:',
      'a',
      'mx',
      'ptr',
      'exists:',
      'redirect=',
      'exp=',
      '-all',
      '%{',
      '}',
      '/',
      ':',
      ' ',
    );
    const record = fc.oneof(
      fc.string(),
      fc
        .array(fc.oneof(words, fc.string({ maxLength: 6 })), { maxLength: 16 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(record, (text) => {
        const parsed = parseSpfRecord(text);
        if (!parsed.ok) expect(parsed.problem).toEqual(expect.any(String));
      }),
      SEEDED,
    );
  });

  it('give back one directive per term they were written with, in order', () => {
    fc.assert(
      fc.property(fc.array(term, { maxLength: 10 }), fc.constantFrom('', ' -all', ' ~all'), (terms, all) => {
        const parsed = parseSpfRecord(`v=spf1 ${terms.join(' ')}${all}`.replace(/ +/g, ' '));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) {
          expect(parsed.record.directives.map((d) => d.term)).toEqual([
            ...terms,
            ...(all ? [all.trim()] : []),
          ]);
        }
      }),
      SEEDED,
    );
  });

  it('are answered quickly at a megabyte', async () => {
    await finishesWithinASecond(() => parseSpfRecord(`v=spf1 ${megabyteOf('ip4:192.0.2.1 ')}`));
  });
});

describe('SPF macros', () => {
  const context = {
    sender: 'user@mail.example',
    domain: 'mail.example',
    client: { kind: 'address' as const, ip: parseIpv4('192.0.2.10')! },
    helo: 'mx.mail.example',
  };

  it('are parsed or refused, and what parses expands without throwing', () => {
    const spec = fc.oneof(
      fc.string(),
      fc
        .array(
          fc.oneof(
            fc.constantFrom('%{s}', '%{l}', '%{o}', '%{d2r}', '%{i}', '%{h-}', '%{v}', '%%', '%_', '%-', '.'),
            label,
          ),
          {
            maxLength: 8,
          },
        )
        .map((parts) => `${parts.join('')}.example`),
    );
    fc.assert(
      fc.property(spec, (text) => {
        const tokens = parseDomainSpec(text);
        if (tokens) {
          const expanded = expandMacros(tokens, context);
          if (expanded !== undefined) expect(expanded.length).toBeLessThanOrEqual(253);
        }
      }),
      SEEDED,
    );
  });

  it('are answered quickly at a megabyte', async () => {
    await finishesWithinASecond(() => parseDomainSpec(megabyteOf('%{d}.')));
  });
});

describe('DNS answers', () => {
  it('are read, or turned into a temporary error, whatever the resolver sent', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), domain, (bytes, name) => {
        const answer = readAnswer(bytes, name, 'TXT');
        expect(['records', 'empty', 'temperror']).toContain(answer.lookup.kind);
      }),
      SEEDED,
    );
  });

  it('read a query answered with nothing as an empty answer for that name', () => {
    fc.assert(
      fc.property(domain, (name) => {
        const query = encodeQuery(name, 'TXT');
        // The question echoed back as a response with no records: QR set, RCODE NOERROR.
        const response = Uint8Array.from(query);
        response[2] = (response[2] ?? 0) | 0x80;
        expect(readAnswer(response, name, 'TXT').lookup).toEqual({ kind: 'empty', nxdomain: false });
      }),
      SEEDED,
    );
  });
});
