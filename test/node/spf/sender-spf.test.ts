import { afterEach, describe, expect, it } from 'vitest';
import type { Sender } from '../../../src/domain/ports';
import { refreshSenderSpf } from '../../../src/domain/senders/refresh-spf';
import { workerJobs, runScheduled } from '../../../src/jobs/schedule';
import { createWorld, IAD, PHX, TENANCY, type World } from '../../support/world';
import { startDohServer, type DohServer, type Zone } from './doh-server';
import { AMERICAS } from './spf-fixtures';

const refreshJob = workerJobs.find((job) => job.name === 'refresh-sender-spf')!;
const AUTHORIZING = `v=spf1 include:_spf.example.com ~all`;
const TTL_MS = 300_000;

let world: World | undefined;
let server: DohServer | undefined;
afterEach(async () => {
  world?.close();
  await server?.close();
  world = undefined;
  server = undefined;
});

async function start(zone: Zone): Promise<{ world: World; server: DohServer }> {
  server = await startDohServer(zone);
  world = createWorld({ DOH_URL: server.url });
  return { world, server };
}

interface WireSender {
  id: string;
  isSpf: boolean;
}

async function create(w: World, emailAddress: string, region = PHX): Promise<WireSender> {
  const response = await w.request('POST', `/${region}/20170907/senders`, {
    compartmentId: TENANCY,
    emailAddress,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as WireSender;
}

async function read(w: World, id: string, region = PHX): Promise<WireSender & { etag: string | null }> {
  const response = await w.request('GET', `/${region}/20170907/senders/${id}`);
  expect(response.status).toBe(200);
  return { ...((await response.json()) as WireSender), etag: response.headers.get('etag') };
}

async function guidance(w: World, id: string, region = PHX): Promise<Record<string, unknown>> {
  const response = await w.request('GET', `/${region}/20170907/senders/${id}/spf`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const baseZone = (): Zone => ({
  'example.com': { TXT: [AUTHORIZING] },
  '_spf.example.com': { TXT: [`v=spf1 ip4:198.51.100.0/24 include:${AMERICAS} -all`] },
  'elsewhere.example': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
});

describe('isSpf at creation', () => {
  it('is set from the check when the sender is created', async () => {
    const { world } = await start(baseZone());
    expect((await create(world, 'noreply@example.com')).isSpf).toBe(true);
    expect((await create(world, 'noreply@example.com', IAD)).isSpf).toBe(true);
    expect((await create(world, 'noreply@elsewhere.example')).isSpf).toBe(false);
    expect((await create(world, 'noreply@nothing.example')).isSpf).toBe(false);
  });

  it('stays false without failing the creation when the resolver is down', async () => {
    world = createWorld(); // its DoH URL points at a closed loopback port
    const sender = await create(world, 'noreply@example.com');
    expect(sender.isSpf).toBe(false);
    expect(world.runtime.logger.entries).toContainEqual(
      expect.objectContaining({
        event: 'sender.created',
        fields: expect.objectContaining({ spf: 'temperror' }),
      }),
    );
  });

  it('stays false when the resolver never answers', async () => {
    const { world, server } = await start(baseZone());
    server.mode = 'hang';
    const sender = await create(world, 'noreply@example.com');
    expect(sender.isSpf).toBe(false);
  });
});

describe('GET /senders/{id}/spf', () => {
  it('returns the live verdict, the record, the lookup count and the record to publish', async () => {
    const { world } = await start(baseZone());
    const sender = await create(world, 'noreply@example.com');
    expect(await guidance(world, sender.id)).toEqual({
      senderId: sender.id,
      emailAddress: 'noreply@example.com',
      domain: 'example.com',
      isSpf: true,
      authorized: true,
      result: 'pass',
      reason: expect.stringContaining(`example.com → _spf.example.com → ${AMERICAS}`),
      record: AUTHORIZING,
      lookupCount: 2,
      voidLookupCount: 0,
      geography: 'americas',
      spfInclude: AMERICAS,
      recordToPublish: 'v=spf1 include:rp.oracleemaildelivery.com ~all',
    });
  });

  it('reports none and the record to publish for a domain without policy', async () => {
    const { world } = await start(baseZone());
    const sender = await create(world, 'a@nothing.example');
    expect(await guidance(world, sender.id)).toMatchObject({
      isSpf: false,
      authorized: false,
      result: 'none',
      record: null,
      lookupCount: 0,
      recordToPublish: 'v=spf1 include:rp.oracleemaildelivery.com ~all',
    });
  });

  it('answers 404 for a sender of another region, 400 for a malformed id', async () => {
    const { world } = await start(baseZone());
    const sender = await create(world, 'noreply@example.com');
    const response = await world.request('GET', `/${IAD}/20170907/senders/${sender.id}/spf`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NotAuthorizedOrNotFound' });
    const invalid = await world.request('GET', `/${PHX}/20170907/senders/not-an-ocid/spf`);
    expect(invalid.status).toBe(400);
  });
});

describe('scheduled SPF refresh', () => {
  it('follows the domain as its policy changes, with a fresh etag on each change', async () => {
    const { world, server } = await start(baseZone());
    server.zone['late.example'] = { TXT: ['v=spf1 -all'] };
    const sender = await create(world, 'a@late.example');
    const before = await read(world, sender.id);
    expect(before.isSpf).toBe(false);

    server.zone['late.example'] = { TXT: [`v=spf1 include:${AMERICAS} -all`] };
    world.runtime.clock.advance(TTL_MS + 1_000);
    await runScheduled(refreshJob.cron, world.deps);
    const published = await read(world, sender.id);
    expect(published.isSpf).toBe(true);
    expect(published.etag).not.toBe(before.etag);

    await runScheduled(refreshJob.cron, world.deps);
    expect((await read(world, sender.id)).etag).toBe(published.etag); // unchanged verdict, untouched row

    server.zone['late.example'] = { TXT: ['v=spf1 redirect=elsewhere.example'] };
    world.runtime.clock.advance(TTL_MS + 1_000);
    await runScheduled(refreshJob.cron, world.deps);
    expect((await read(world, sender.id)).isSpf).toBe(false);
  });

  it('keeps the previous value when the resolver is down (temperror)', async () => {
    const { world, server } = await start(baseZone());
    const sender = await create(world, 'noreply@example.com');
    expect(sender.isSpf).toBe(true);

    await server.close();
    world.runtime.clock.advance(TTL_MS + 1_000); // past the cached answers' TTL
    await runScheduled(refreshJob.cron, world.deps);
    const after = await read(world, sender.id);
    expect(after.isSpf).toBe(true);
    expect(await guidance(world, sender.id)).toMatchObject({
      isSpf: true,
      result: 'temperror',
      authorized: false,
    });
    expect(world.runtime.logger.entries).toContainEqual(
      expect.objectContaining({
        event: 'spf.refreshed',
        fields: expect.objectContaining({ region: PHX, kept: 1 }),
      }),
    );
  });

  it('refreshes each region on its own', async () => {
    const { world, server } = await start(baseZone());
    server.zone['both.example'] = { TXT: ['v=spf1 -all'] };
    const phx = await create(world, 'a@both.example', PHX);
    const iad = await create(world, 'a@both.example', IAD);
    server.zone['both.example'] = { TXT: [`v=spf1 include:${AMERICAS} -all`] };
    world.runtime.clock.advance(TTL_MS + 1_000);
    await runScheduled(refreshJob.cron, world.deps);
    expect((await read(world, phx.id, PHX)).isSpf).toBe(true);
    expect((await read(world, iad.id, IAD)).isSpf).toBe(true);
    const refreshed = world.runtime.logger.entries.filter((e) => e.event === 'spf.refreshed');
    expect(refreshed.map((e) => e.fields.region)).toEqual([PHX, IAD]);
  });

  it('walks a region in bounded batches across tenancies, least recently checked first, skipping deleted senders', async () => {
    const { world, server } = await start(baseZone());
    server.zone['bulk.example'] = { TXT: ['v=spf1 -all'] };
    const region = await world.deps.regions.open(PHX);
    const other = 'ocid1.tenancy.oc1..aaaaaaaaothertenancy';
    const make = (i: number, lifecycleState: Sender['lifecycleState'] = 'ACTIVE'): Sender => ({
      id: `ocid1.emailsender.oc1.us-phoenix-1.bulk${String(i).padStart(3, '0')}`,
      compartmentId: i % 2 ? TENANCY : other,
      emailAddress: `user${i}@bulk.example`,
      lifecycleState,
      isSpf: false,
      emailIpPoolId: null,
      locks: [],
      freeformTags: {},
      definedTags: {},
      etag: 'e',
      timeCreated: world.runtime.clock.now(),
    });
    for (let i = 0; i < 7; i++)
      await region.store.forTenancy(i % 2 ? TENANCY : other).senders.insert(make(i));
    await region.store.forTenancy(TENANCY).senders.insert(make(7, 'DELETED'));

    const due = await region.store.sendersDueForSpf(world.runtime.clock.now(), 3);
    expect(due.map((s) => s.id.slice(-3))).toEqual(['000', '001', '002']);

    server.zone['bulk.example'] = { TXT: [`v=spf1 include:${AMERICAS} -all`] };
    const limits = { batchSize: 2, maxBatches: 2, maxConsecutiveTemperrors: 5 };
    expect(await refreshSenderSpf(world.runtime, region, world.deps.resolver, limits)).toEqual({
      checked: 4,
      changed: 4,
      kept: 0,
      complete: false,
    });
    expect(world.runtime.logger.entries).toContainEqual(
      expect.objectContaining({ event: 'spf.refresh.truncated' }),
    );

    // The next run, as bounded as the first, starts with the senders the first did not reach.
    world.runtime.clock.advance(1_000);
    expect(await refreshSenderSpf(world.runtime, region, world.deps.resolver, limits)).toEqual({
      checked: 4,
      changed: 3,
      kept: 0,
      complete: false,
    });
    for (let i = 0; i < 7; i++) {
      const sender = await region.store.forTenancy(i % 2 ? TENANCY : other).senders.findById(make(i).id);
      expect(sender?.isSpf).toBe(true);
    }
    const deleted = await region.store.forTenancy(TENANCY).senders.findById(make(7).id);
    expect(deleted?.isSpf).toBe(false);
  });

  it('stops a region early when the resolver keeps failing', async () => {
    const { world, server } = await start(baseZone());
    const region = await world.deps.regions.open(PHX);
    for (let i = 0; i < 8; i++) await create(world, `user${i}@example.com`);
    await server.close();
    world.runtime.clock.advance(TTL_MS + 1_000);
    const limits = { batchSize: 3, maxBatches: 10, maxConsecutiveTemperrors: 5 };
    expect(await refreshSenderSpf(world.runtime, region, world.deps.resolver, limits)).toEqual({
      checked: 5,
      changed: 0,
      kept: 5,
      complete: false,
    });
    expect(world.runtime.logger.entries).toContainEqual(
      expect.objectContaining({ event: 'spf.refresh.resolver-failing', level: 'warn' }),
    );
  });
});
