import { afterEach, describe, expect, it } from 'vitest';
import { createDohResolver, type Fetch } from '../../../src/dns/doh-resolver';
import { manualClock } from '../../support/fixed-runtime';
import { startDohServer, type DohServer } from './doh-server';

const servers: DohServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const realFetch: Fetch = (url, init) => fetch(url, init);

async function serve(zone: Parameters<typeof startDohServer>[0]) {
  const server = await startDohServer(zone);
  servers.push(server);
  const clock = manualClock();
  const resolver = createDohResolver({ url: server.url, fetch: realFetch, clock, timeoutMs: 500 });
  return { server, clock, resolver };
}

describe('DNS-over-HTTPS resolver', () => {
  it('reads TXT, A, AAAA and MX answers', async () => {
    const long = `v=spf1 ${'ip4:192.0.2.1 '.repeat(30)}-all`;
    const { resolver } = await serve({
      'example.com': {
        TXT: ['v=spf1 -all', long],
        A: ['192.0.2.10'],
        AAAA: ['2001:db8::10'],
        MX: [{ preference: 10, exchange: 'mx.example.com' }],
      },
    });
    expect(await resolver.lookup('example.com', 'TXT')).toEqual({
      kind: 'records',
      records: ['v=spf1 -all', long],
    });
    expect(await resolver.lookup('Example.COM.', 'A')).toEqual({ kind: 'records', records: ['192.0.2.10'] });
    expect(await resolver.lookup('example.com', 'AAAA')).toEqual({
      kind: 'records',
      records: ['2001:db8::10'],
    });
    expect(await resolver.lookup('example.com', 'MX')).toEqual({
      kind: 'records',
      records: [{ preference: 10, exchange: 'mx.example.com' }],
    });
  });

  it('tells NXDOMAIN from NODATA, and follows a CNAME chain', async () => {
    const { resolver } = await serve({
      'example.com': { A: ['192.0.2.1'] },
      'alias.example.com': { CNAME: 'target.example.net' },
      'target.example.net': { TXT: ['v=spf1 ~all'] },
    });
    expect(await resolver.lookup('missing.example.com', 'TXT')).toEqual({ kind: 'empty', nxdomain: true });
    expect(await resolver.lookup('example.com', 'TXT')).toEqual({ kind: 'empty', nxdomain: false });
    expect(await resolver.lookup('alias.example.com', 'TXT')).toEqual({
      kind: 'records',
      records: ['v=spf1 ~all'],
    });
  });

  it('reports SERVFAIL, HTTP errors, oversized answers, silence and a dead server as temperror', async () => {
    const { server, resolver } = await serve({
      'broken.example': { servfail: true },
      'ok.example': { A: ['192.0.2.1'] },
    });
    expect(await resolver.lookup('broken.example', 'TXT')).toMatchObject({ kind: 'temperror' });

    server.mode = 'http-503';
    expect(await resolver.lookup('ok.example', 'A')).toMatchObject({
      kind: 'temperror',
      reason: expect.stringContaining('503'),
    });

    server.mode = 'oversized';
    expect(await resolver.lookup('ok.example', 'A')).toMatchObject({
      kind: 'temperror',
      reason: expect.stringContaining('larger than'),
    });

    server.mode = 'hang';
    expect(await resolver.lookup('ok.example', 'A')).toEqual({
      kind: 'temperror',
      reason: 'the resolver did not answer in time',
    });

    await server.close();
    expect(await resolver.lookup('ok.example', 'A')).toMatchObject({
      kind: 'temperror',
      reason: expect.stringContaining('unreachable'),
    });
  });

  it('caches answers for their TTL on the given clock, and never caches a temperror', async () => {
    const { server, clock, resolver } = await serve({ 'example.com': { TXT: ['v=spf1 -all'] } });
    server.ttlSeconds = 120;
    await resolver.lookup('example.com', 'TXT');
    await resolver.lookup('EXAMPLE.com', 'TXT');
    expect(server.queries).toEqual(['TXT example.com']);

    clock.advance(119_000);
    await resolver.lookup('example.com', 'TXT');
    expect(server.queries).toHaveLength(1);
    clock.advance(2_000);
    await resolver.lookup('example.com', 'TXT');
    expect(server.queries).toHaveLength(2);

    await resolver.lookup('nothing.example.com', 'A');
    await resolver.lookup('nothing.example.com', 'A');
    expect(server.queries).toHaveLength(3); // the NXDOMAIN is cached for the SOA's negative TTL

    server.mode = 'http-503';
    await resolver.lookup('example.org', 'TXT');
    server.mode = 'answer';
    server.zone['example.org'] = { TXT: ['v=spf1 ?all'] };
    expect(await resolver.lookup('example.org', 'TXT')).toEqual({
      kind: 'records',
      records: ['v=spf1 ?all'],
    });
  });

  it('gives up when the caller aborts', async () => {
    const { server, resolver } = await serve({ 'example.com': { A: ['192.0.2.1'] } });
    server.mode = 'hang';
    const controller = new AbortController();
    const pending = resolver.lookup('example.com', 'A', controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'temperror' });
  });

  it('answers a name that cannot exist in DNS without asking', async () => {
    const { server, resolver } = await serve({});
    expect(await resolver.lookup(`${'a'.repeat(64)}.example.com`, 'A')).toEqual({
      kind: 'empty',
      nxdomain: true,
    });
    expect(await resolver.lookup('a..example.com', 'A')).toEqual({ kind: 'empty', nxdomain: true });
    expect(server.queries).toEqual([]);
  });
});
