import { afterEach, describe, expect, it } from 'vitest';
import { evaluateSpf } from '../../../src/domain/spf/check-host';
import { parseIp } from '../../../src/domain/spf/ip-address';
import type { DohServer, Zone } from './doh-server';
import { dnsFixture } from './spf-fixtures';

const servers: DohServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** check_host() for `domain` with the client at `address`, against a loopback DoH server serving `zone`. */
async function check(zone: Zone, domain: string, address: string, helo = 'mail.example.com') {
  const { resolver, server } = await dnsFixture(zone);
  servers.push(server);
  const ip = parseIp(address);
  if (!ip) throw new Error(`not an address: ${address}`);
  const evaluation = await evaluateSpf(resolver, {
    client: { kind: 'address', ip },
    domain,
    sender: `postmaster@${domain}`,
    helo,
  });
  return { ...evaluation, queries: server.queries };
}

describe('the ptr mechanism (RFC 7208 section 5.5)', () => {
  it('matches a PTR name whose own address is the client, at or below the target domain', async () => {
    const zone: Zone = {
      'example.com': { TXT: ['v=spf1 ptr -all'] },
      'example.org': { TXT: ['v=spf1 ptr:example.net -all'] },
      '3.2.0.192.in-addr.arpa': { PTR: ['mx1.example.com'] },
      'mx1.example.com': { A: ['192.0.2.3'] },
    };
    expect((await check(zone, 'example.com', '192.0.2.3')).result).toBe('pass');
    expect((await check(zone, 'example.org', '192.0.2.3')).result).toBe('fail');
  });

  it('does not match a PTR name that does not point back at the client', async () => {
    const zone: Zone = {
      'example.com': { TXT: ['v=spf1 ptr -all'] },
      '3.2.0.192.in-addr.arpa': { PTR: ['forged.example.com'] },
      'forged.example.com': { A: ['198.51.100.9'] },
    };
    expect((await check(zone, 'example.com', '192.0.2.3')).result).toBe('fail');
  });

  it('treats a failed reverse lookup as no match, not as a temporary error', async () => {
    const zone: Zone = {
      'example.com': { TXT: ['v=spf1 ptr ?all'] },
      '3.2.0.192.in-addr.arpa': { servfail: true },
    };
    expect((await check(zone, 'example.com', '192.0.2.3')).result).toBe('neutral');
  });

  it('validates at most ten PTR names', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `h${String(i + 1)}.example.com`);
    const zone: Zone = {
      'example.com': { TXT: ['v=spf1 ptr -all'] },
      '3.2.0.192.in-addr.arpa': { PTR: names },
      'h11.example.com': { A: ['192.0.2.3'] },
    };
    const evaluation = await check(zone, 'example.com', '192.0.2.3');
    expect(evaluation.result).toBe('fail');
    expect(evaluation.queries).not.toContain('A h11.example.com');
  });

  it('matches on any validated name among several, and ignores the ones that do not point back', async () => {
    const zone: Zone = {
      'example.com': { TXT: ['v=spf1 ptr:example.com -all'] },
      '3.2.0.192.in-addr.arpa': { PTR: ['gateway.example.net', 'spoof.example.com', 'relay.example.com'] },
      'gateway.example.net': { A: ['192.0.2.3'] },
      'spoof.example.com': { A: ['198.51.100.9'] },
      'relay.example.com': { AAAA: ['2001:db8::9'], A: ['192.0.2.3'] },
    };
    expect((await check(zone, 'example.com', '192.0.2.3')).result).toBe('pass');
    const withoutRelay = { ...zone, 'relay.example.com': { A: ['192.0.2.99'] } };
    expect((await check(withoutRelay, 'example.com', '192.0.2.3')).result).toBe('fail');
  });

  it('looks an IPv6 client up under ip6.arpa', async () => {
    const reverse = `1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa`;
    const zone: Zone = {
      'example.com': { TXT: ['v=spf1 ptr -all'] },
      [reverse]: { PTR: ['v6.example.com'] },
      'v6.example.com': { AAAA: ['2001:db8::1'] },
    };
    expect((await check(zone, 'example.com', '2001:db8::1')).result).toBe('pass');
  });
});

describe('the %{p} macro (RFC 7208 section 7.3)', () => {
  it("expands to the client's validated name, or to unknown when none validates", async () => {
    const zone: Zone = {
      'example.com': { TXT: ['v=spf1 exists:%{p}.allowed.example.com -all'] },
      '3.2.0.192.in-addr.arpa': { PTR: ['mx1.example.com'] },
      'mx1.example.com': { A: ['192.0.2.3'] },
      'mx1.example.com.allowed.example.com': { A: ['127.0.0.2'] },
    };
    const validated = await check(zone, 'example.com', '192.0.2.3');
    expect(validated.result).toBe('pass');
    expect(validated.queries).toContain('A mx1.example.com.allowed.example.com');

    const stranger = await check(zone, 'example.com', '198.51.100.7');
    expect(stranger.result).toBe('fail');
    expect(stranger.queries).toContain('A unknown.allowed.example.com');
  });

  it('prefers a validated name at or below the domain, else takes another validated one', async () => {
    const reverse = {
      '3.2.0.192.in-addr.arpa': { PTR: ['out.example.net', 'forged.example.com', 'mta.example.com'] },
      'out.example.net': { A: ['192.0.2.3'] },
      'forged.example.com': { A: ['203.0.113.5'] },
      'mta.example.com': { A: ['192.0.2.3'] },
    };
    const zone: Zone = {
      ...reverse,
      'example.com': { TXT: ['v=spf1 exists:%{p}.ok.example.com -all'] },
      'mta.example.com.ok.example.com': { A: ['127.0.0.2'] },
      'example.org': { TXT: ['v=spf1 exists:%{p1r}.ok.example.com -all'] },
      'out.ok.example.com': { A: ['127.0.0.2'] },
    };
    expect((await check(zone, 'example.com', '192.0.2.3')).result).toBe('pass');
    const elsewhere = await check(zone, 'example.org', '192.0.2.3');
    expect(elsewhere.result).toBe('pass');
    expect(elsewhere.queries).toContain('A out.ok.example.com');
  });
});

describe('a target that is a domain name only before its macros are expanded (RFC 7208 section 4.8)', () => {
  const zone: Zone = {
    'a.example.com': { TXT: ['v=spf1 a:%{h} -all'] },
    'exists.example.com': { TXT: ['v=spf1 exists:%{h} ?all'] },
    'include.example.com': { TXT: ['v=spf1 include:%{h} ?all'] },
    'literal.example.com': { TXT: ['v=spf1 a:bad_name..example.com ?all'] },
  };

  it.each([
    ['a.example.com', 'fail'],
    ['exists.example.com', 'neutral'],
    ['include.example.com', 'neutral'],
  ])('%s: a HELO that expands to no domain name makes the term not match (%s)', async (domain, result) => {
    expect((await check(zone, domain, '192.0.2.3', "JUMPIN' JUPITER")).result).toBe(result);
  });

  it('a name written invalid in the record itself stays a permerror', async () => {
    expect((await check(zone, 'literal.example.com', '192.0.2.3')).result).toBe('permerror');
  });
});
