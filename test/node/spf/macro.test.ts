import { describe, expect, it } from 'vitest';
import { parseIpv4, parseIpv6 } from '../../../src/domain/spf/ip-address';
import { expandMacros, parseDomainSpec, type MacroContext } from '../../../src/domain/spf/macro';

const base = { sender: 'strong-bad@email.example.com', domain: 'email.example.com', helo: 'mx.example.org' };
const v4: MacroContext = { ...base, client: { kind: 'address', ip: parseIpv4('192.0.2.3')! } };
const v6: MacroContext = { ...base, client: { kind: 'address', ip: parseIpv6('2001:db8::cb01')! } };

function expand(spec: string, ctx: MacroContext): string | undefined {
  const tokens = parseDomainSpec(spec);
  if (!tokens) throw new Error(`${spec} did not parse`);
  return expandMacros(tokens, ctx);
}

describe('SPF macros (RFC 7208 section 7.4 examples)', () => {
  const examples: [string, string][] = [
    ['%{s}', 'strong-bad@email.example.com'],
    ['%{o}', 'email.example.com'],
    ['%{d}', 'email.example.com'],
    ['%{d4}', 'email.example.com'],
    ['%{d3}', 'email.example.com'],
    ['%{d2}', 'example.com'],
    ['%{d1}', 'com'],
    ['%{dr}', 'com.example.email'],
    ['%{d2r}', 'example.email'],
    ['%{l}', 'strong-bad'],
    ['%{l-}', 'strong.bad'],
    ['%{lr}', 'strong-bad'],
    ['%{lr-}', 'bad.strong'],
    ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
  ];
  for (const [spec, expected] of examples) {
    it(`${spec} → ${expected}`, () => expect(expand(spec, v4)).toBe(expected));
  }

  it('spells an IPv6 client as reversed nibbles', () => {
    expect(expand('%{ir}.%{v}._spf.%{d2}', v6)).toBe(
      '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com',
    );
  });

  it('URL-escapes upper-case macros and expands %%, %_ and %-', () => {
    const ctx: MacroContext = { ...v4, sender: "o'brien+x@example.com" };
    expect(expand('%{L}.%{h}', ctx)).toBe('o%27brien%2Bx.mx.example.org');
    expect(expand('a%%b%_c%-d.%{d}', ctx)).toBe('a%b c%20d.email.example.com');
  });

  it('has no value for client-address macros when the client is a whole infrastructure', () => {
    const ctx: MacroContext = { ...base, client: { kind: 'infrastructure', includeHost: 'rp.example' } };
    expect(expand('%{i}._spf.%{d}', ctx)).toBeUndefined();
    expect(expand('%{l}._spf.%{d}', ctx)).toBe('strong-bad._spf.email.example.com');
  });

  it('refuses malformed domain-specs', () => {
    for (const spec of [
      '%{d0}',
      '%{x}',
      '%{c}.example.com',
      '%z.example.com',
      'localhost',
      'example.123',
      '%{d',
      'a b.com',
    ]) {
      expect(parseDomainSpec(spec), spec).toBeUndefined();
    }
  });
});

describe('IP addresses', () => {
  it('parses the textual forms of RFC 4291 and refuses the rest', () => {
    expect(parseIpv6('::')?.bytes).toEqual(new Uint8Array(16));
    expect(Array.from(parseIpv6('::ffff:192.0.2.1')!.bytes.slice(10))).toEqual([255, 255, 192, 0, 2, 1]);
    expect(Array.from(parseIpv6('2001:db8:0:0:1:0:0:1')!.bytes)).toEqual(
      Array.from(parseIpv6('2001:DB8::1:0:0:1')!.bytes),
    );
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', ':1::', '12345::', '1.2.3.4::', '::1.2.3', 'g::1']) {
      expect(parseIpv6(bad), bad).toBeUndefined();
    }
    for (const bad of ['1.2.3', '256.1.1.1', '01.2.3.4', '1.2.3.4.5', '']) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
  });
});
