import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDohResolver } from '../../../src/dns/doh-resolver';
import { checkRegionSpf } from '../../../src/domain/spf/check-region';
import { workerJobs } from '../../../src/jobs/schedule';
import { systemClock } from '../../../src/platform/system';
import { d1Database } from '../../../src/platform/d1';
import { createRegionStore } from '../../../src/store/region/region-store';
import { schema, senders } from '../../../src/store/schema';
import worker from '../../../src/worker';
import { remoteDohServers, type RemoteDohServer } from '../../support/doh-control';

const doh = remoteDohServers(inject('dohControl'));
const AMERICAS = 'rp.oracleemaildelivery.com';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaworkerdtenancy';
const zone = {
  'example.com': { TXT: ['v=spf1 include:_spf.example.com ~all'], A: ['192.0.2.1'] },
  '_spf.example.com': { TXT: [`v=spf1 include:${AMERICAS} -all`] },
  'broken.example': { servfail: true },
};

let server: RemoteDohServer | undefined;
beforeEach(async () => {
  const db = drizzle(env.DB_PHX, { schema });
  await db.delete(senders);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('SPF inside workerd', () => {
  it('resolves DNS-over-HTTPS with dns-packet and fetch, and evaluates a policy', async () => {
    server = await doh.start(zone);
    const resolver = createDohResolver({
      url: server.url,
      fetch: (url, init) => fetch(url, init),
      clock: systemClock,
    });
    expect(await resolver.lookup('example.com', 'A')).toEqual({ kind: 'records', records: ['192.0.2.1'] });
    expect(await resolver.lookup('missing.example', 'TXT')).toEqual({ kind: 'empty', nxdomain: true });
    expect(await resolver.lookup('broken.example', 'TXT')).toMatchObject({ kind: 'temperror' });
    const region = { spfInclude: AMERICAS, smtp: { host: 'smtp.us-phoenix-1.oraclecloud.com' } };
    expect(await checkRegionSpf(resolver, region, 'noreply@example.com')).toMatchObject({
      result: 'pass',
      authorized: true,
      lookupCount: 2,
    });
  });

  it('refreshes isSpf in D1 when the Worker cron fires', async () => {
    server = await doh.start(zone);
    const store = createRegionStore(d1Database(env.DB_PHX));
    const id = 'ocid1.emailsender.oc1.us-phoenix-1.workerdspf';
    await store.forTenancy(TENANCY).senders.insert({
      id,
      compartmentId: TENANCY,
      emailAddress: 'noreply@example.com',
      lifecycleState: 'ACTIVE',
      isSpf: false,
      emailIpPoolId: null,
      locks: [],
      freeformTags: {},
      definedTags: {},
      etag: 'before',
      timeCreated: new Date(0),
    });
    const cron = workerJobs.find((job) => job.name === 'refresh-sender-spf')!.cron;
    const ctx = createExecutionContext();
    const bindings = { ...env, AUTH: 'signature', DOH_URL: server.url } as typeof env;
    worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), bindings, ctx);
    await waitOnExecutionContext(ctx);
    const after = await store.forTenancy(TENANCY).senders.findById(id);
    expect(after).toMatchObject({ isSpf: true });
    expect(after?.etag).not.toBe('before');
    expect(await store.recordSpfCheck(id, { isSpf: true, checkedAt: new Date(), etag: 'again' })).toBe(false);
    expect(await store.sendersDueForSpf(new Date(0), 10)).toEqual([]);
    expect((await store.sendersDueForSpf(new Date(Date.now() + 60_000), 10)).map((s) => s.id)).toEqual([id]);
  });
});
