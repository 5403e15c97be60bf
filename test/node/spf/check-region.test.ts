import { afterEach, describe, expect, it } from 'vitest';
import { checkRegionSpf } from '../../../src/domain/spf/check-region';
import type { DohServer } from './doh-server';
import { AMERICAS, dnsFixture, FRANKFURT, PHOENIX } from './spf-fixtures';

const servers: DohServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function resolverFor(zone: Parameters<typeof dnsFixture>[0]) {
  const fixture = await dnsFixture(zone);
  servers.push(fixture.server);
  return fixture;
}

const hosts = (prefix: string, count: number, suffix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}.${suffix}`);

describe('SPF verdict for a region', () => {
  it('passes through a nested include chain without asking for the region include itself', async () => {
    const { resolver, server } = await resolverFor({
      'example.com': { TXT: ['google-site-verification=abc', 'v=spf1 include:_spf.example.com ~all'] },
      '_spf.example.com': { TXT: ['v=spf1 ip4:198.51.100.0/24 include:_oci.example.net -all'] },
      '_oci.example.net': { TXT: [`v=spf1 include:${AMERICAS} -all`] },
      [AMERICAS]: { TXT: ['v=spf1 ip4:203.0.113.0/24 -all'] },
    });
    const verdict = await checkRegionSpf(resolver, PHOENIX, 'noreply@Example.com');
    expect(verdict).toMatchObject({
      domain: 'example.com',
      authorized: true,
      result: 'pass',
      record: 'v=spf1 include:_spf.example.com ~all',
      lookupCount: 3,
      voidLookupCount: 0,
    });
    expect(verdict.reason).toBe(
      `the policy reaches example.com → _spf.example.com → _oci.example.net → ${AMERICAS}`,
    );
    expect(server.queries).not.toContain(`TXT ${AMERICAS}`);

    const elsewhere = await checkRegionSpf(resolver, FRANKFURT, 'noreply@example.com');
    expect(elsewhere).toMatchObject({ authorized: false, result: 'softfail' });
    expect(elsewhere.reason).toContain('~all in example.com matched');
  });

  it('allows ten DNS-querying terms and answers permerror at the eleventh', async () => {
    const ten = hosts('h', 9, 'ten.example');
    const eleven = hosts('h', 10, 'eleven.example');
    const zone = Object.fromEntries([...ten, ...eleven].map((name) => [name, { A: ['192.0.2.1'] }]));
    const { resolver } = await resolverFor({
      ...zone,
      'ten.example': { TXT: [`v=spf1 ${ten.map((h) => `a:${h}`).join(' ')} include:${AMERICAS} -all`] },
      'eleven.example': { TXT: [`v=spf1 ${eleven.map((h) => `a:${h}`).join(' ')} include:${AMERICAS} -all`] },
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@ten.example')).toMatchObject({
      result: 'pass',
      authorized: true,
      lookupCount: 10,
    });
    const verdict = await checkRegionSpf(resolver, PHOENIX, 'a@eleven.example');
    expect(verdict).toMatchObject({ result: 'permerror', authorized: false, lookupCount: 11 });
    expect(verdict.reason).toContain(`include:${AMERICAS} in eleven.example is DNS lookup 11`);
  });

  it('counts lookups across the whole include chain', async () => {
    const chain = hosts('l', 11, 'chain.example');
    const zone = Object.fromEntries(
      chain.map((name, i) => [name, { TXT: [`v=spf1 include:${chain[i + 1] ?? AMERICAS} -all`] }]),
    );
    const { resolver } = await resolverFor({
      ...zone,
      'chain.example': { TXT: [`v=spf1 include:${chain[0]} -all`] },
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@chain.example')).toMatchObject({
      result: 'permerror',
      lookupCount: 11,
    });
  });

  it('allows two void lookups and answers permerror at the third', async () => {
    const { resolver } = await resolverFor({
      'two.example': { TXT: [`v=spf1 a:gone1.two.example mx:gone2.two.example include:${AMERICAS} -all`] },
      'three.example': {
        TXT: [
          `v=spf1 a:gone1.three.example mx:gone2.three.example exists:gone3.three.example include:${AMERICAS} -all`,
        ],
      },
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@two.example')).toMatchObject({
      result: 'pass',
      voidLookupCount: 2,
    });
    const verdict = await checkRegionSpf(resolver, PHOENIX, 'a@three.example');
    expect(verdict).toMatchObject({ result: 'permerror', authorized: false, voidLookupCount: 3 });
    expect(verdict.reason).toContain('exists:gone3.three.example in three.example is void lookup 3');
  });

  it('answers permerror for two v=spf1 records', async () => {
    const { resolver } = await resolverFor({
      'twice.example': { TXT: [`v=spf1 include:${AMERICAS} -all`, 'V=SPF1 -all'] },
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@twice.example')).toMatchObject({
      result: 'permerror',
      authorized: false,
      record: null,
      reason: 'twice.example publishes 2 v=spf1 records; RFC 7208 allows one',
    });
  });

  it('follows redirect=, ignores it beside an all term, and refuses a redirect to no policy', async () => {
    const { resolver } = await resolverFor({
      'redirect.example': { TXT: ['v=spf1 redirect=_spf.redirect.example'] },
      '_spf.redirect.example': { TXT: [`v=spf1 include:${AMERICAS} -all`] },
      'direct.example': { TXT: [`v=spf1 redirect=${AMERICAS}`] },
      'ignored.example': { TXT: ['v=spf1 -all redirect=_spf.redirect.example'] },
      'nowhere.example': { TXT: ['v=spf1 redirect=missing.example'] },
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@redirect.example')).toMatchObject({
      result: 'pass',
      authorized: true,
      record: 'v=spf1 redirect=_spf.redirect.example',
      lookupCount: 2,
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@direct.example')).toMatchObject({
      result: 'pass',
      authorized: true,
      lookupCount: 1,
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@ignored.example')).toMatchObject({
      result: 'fail',
      authorized: false,
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@nowhere.example')).toMatchObject({
      result: 'permerror',
    });
  });

  it('answers permerror for an include loop and a redirect loop', async () => {
    const { resolver } = await resolverFor({
      'loop-a.example': { TXT: ['v=spf1 include:loop-b.example -all'] },
      'loop-b.example': { TXT: ['v=spf1 include:loop-a.example -all'] },
      'self.example': { TXT: ['v=spf1 redirect=self.example'] },
    });
    const verdict = await checkRegionSpf(resolver, PHOENIX, 'a@loop-a.example');
    expect(verdict).toMatchObject({ result: 'permerror', authorized: false });
    expect(verdict.reason).toBe('include or redirect loop: loop-a.example → loop-b.example → loop-a.example');
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@self.example')).toMatchObject({ result: 'permerror' });
  });

  it('answers none when the domain publishes no policy or does not exist', async () => {
    const { resolver } = await resolverFor({ 'plain.example': { TXT: ['hello world'], A: ['192.0.2.1'] } });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@plain.example')).toMatchObject({
      result: 'none',
      authorized: false,
      record: null,
      lookupCount: 0,
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@absent.example')).toMatchObject({ result: 'none' });
  });

  it('answers temperror when the resolver is down or a name in the chain fails, never none', async () => {
    const { resolver, server } = await resolverFor({
      'example.com': { TXT: ['v=spf1 include:flaky.example.net -all'] },
      'flaky.example.net': { servfail: true },
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@example.com')).toMatchObject({
      result: 'temperror',
      authorized: false,
    });
    await server.close();
    const verdict = await checkRegionSpf(resolver, PHOENIX, 'a@other.example');
    expect(verdict).toMatchObject({ result: 'temperror', authorized: false });
    expect(verdict.reason).toContain('unreachable');
  });

  it('takes the qualifier of the term that matched', async () => {
    const { resolver } = await resolverFor({
      'soft.example': { TXT: [`v=spf1 ~include:${AMERICAS} -all`] },
      'open.example': { TXT: ['v=spf1 +all'] },
      'unsure.example': { TXT: ['v=spf1 ?all'] },
      'blank.example': { TXT: ['v=spf1'] },
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@soft.example')).toMatchObject({
      result: 'softfail',
      authorized: false,
      reason: `~include:${AMERICAS} in soft.example matched: the policy reaches soft.example → ${AMERICAS}`,
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@open.example')).toMatchObject({
      result: 'pass',
      authorized: true,
    });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@unsure.example')).toMatchObject({ result: 'neutral' });
    expect(await checkRegionSpf(resolver, PHOENIX, 'a@blank.example')).toMatchObject({ result: 'neutral' });
  });

  it('answers permerror for a syntax error anywhere, and for an include of a domain without policy', async () => {
    const { resolver } = await resolverFor({
      'late-error.example': { TXT: [`v=spf1 include:${AMERICAS} ip4:300.1.1.1 -all`] },
      'unknown.example': { TXT: [`v=spf1 include:${AMERICAS} foo:bar -all`] },
      'bad-cidr.example': { TXT: [`v=spf1 include:${AMERICAS} ip6:2001:db8::/129 -all`] },
      'bad-target.example': { TXT: ['v=spf1 include:localhost -all'] },
      'no-policy.example': { TXT: ['v=spf1 include:plain.example -all'] },
      'plain.example': { TXT: ['nothing here'] },
      'twice-redirect.example': { TXT: ['v=spf1 redirect=a.example redirect=b.example'] },
    });
    for (const domain of [
      'late-error.example',
      'unknown.example',
      'bad-cidr.example',
      'bad-target.example',
      'no-policy.example',
      'twice-redirect.example',
    ]) {
      expect(await checkRegionSpf(resolver, PHOENIX, `a@${domain}`), domain).toMatchObject({
        result: 'permerror',
        authorized: false,
      });
    }
  });

  it('ignores unknown modifiers and exp=, and skips terms that need a client address', async () => {
    const { resolver, server } = await resolverFor({
      'macro.example': {
        TXT: [
          `v=spf1 exists:%{i}._allow.macro.example ptr include:%{d2}._spf.macro.example foo=bar exp=explain.%{d} -all`,
        ],
      },
      'macro.example._spf.macro.example': { TXT: [`v=spf1 include:${AMERICAS} -all`] },
    });
    const verdict = await checkRegionSpf(resolver, PHOENIX, 'a@macro.example');
    expect(verdict).toMatchObject({ result: 'pass', lookupCount: 4 });
    expect(server.queries.some((q) => q.includes('_allow'))).toBe(false);
  });
});

describe('SPF verdict by the region outbound addresses', () => {
  const withAddresses = { ...PHOENIX, outboundAddresses: ['192.0.2.25', '2001:db8::25'] };

  it('authorizes a domain whose policy passes every outbound address', async () => {
    const { resolver } = await resolverFor({
      'ip.example': { TXT: ['v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all'] },
      'a.example': { TXT: ['v=spf1 a:relay.a.example/28//64 -all'] },
      'relay.a.example': { A: ['192.0.2.30'], AAAA: ['2001:db8::1'] },
      'mx.example': { TXT: ['v=spf1 mx -all'], MX: [{ preference: 10, exchange: 'in.mx.example' }] },
      'in.mx.example': { A: ['192.0.2.25'], AAAA: ['2001:db8::25'] },
      'exists.example': { TXT: ['v=spf1 exists:%{ir}.%{v}._allow.exists.example -all'] },
      '25.2.0.192.in-addr._allow.exists.example': { A: ['127.0.0.2'] },
      [`5.2.${'0.'.repeat(22)}8.b.d.0.1.0.0.2.ip6._allow.exists.example`]: { A: ['127.0.0.2'] },
    });
    for (const domain of ['ip.example', 'a.example', 'mx.example', 'exists.example']) {
      const verdict = await checkRegionSpf(resolver, withAddresses, `a@${domain}`);
      expect(verdict, domain).toMatchObject({ result: 'pass', authorized: true });
      expect(verdict.reason).toContain('every outbound address');
    }
  });

  it('does not authorize when one address fails, and keeps temperror', async () => {
    const { resolver } = await resolverFor({
      'half.example': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] },
      'flaky.example': { TXT: ['v=spf1 a:broken.flaky.example -all'] },
      'broken.flaky.example': { servfail: true },
    });
    expect(await checkRegionSpf(resolver, withAddresses, 'a@half.example')).toMatchObject({
      result: 'fail',
      authorized: false,
    });
    expect(await checkRegionSpf(resolver, withAddresses, 'a@flaky.example')).toMatchObject({
      result: 'temperror',
      authorized: false,
    });
  });
});
