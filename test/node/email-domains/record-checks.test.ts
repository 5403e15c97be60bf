import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDueRecords } from '../../../src/domain/email-domains/record-checks';
import { purgeDeletedSenders } from '../../../src/domain/senders/purge-deleted';
import { json } from '../../support/api';
import { createWorld, PHX, TENANCY, type World } from '../../support/world';
import { startDohServer, type DohServer } from '../spf/doh-server';

const MINUTE = 60_000;
const DOMAIN = 'checks.example.com';

let doh: DohServer;
let world: World;

beforeEach(async () => {
  doh = await startDohServer({});
  doh.ttlSeconds = 0;
  world = createWorld({ SECRETS_KEY: 'a-secrets-key-for-record-checks-000000', DOH_URL: doh.url });
});
afterEach(async () => {
  world.close();
  await doh.close();
});

interface WireDkim {
  id: string;
  name: string;
  lifecycleState: string;
  lifecycleDetails?: string;
  txtRecordValue: string;
  dnsSubdomainName: string;
}

async function domainWithKey(): Promise<{ domainId: string; dkim: WireDkim }> {
  const created = await world.request('POST', `/${PHX}/20170907/emailDomains`, {
    name: DOMAIN,
    compartmentId: TENANCY,
  });
  expect(created.status).toBe(200);
  const domainId = (await json<{ id: string }>(created)).id;
  const response = await world.request('POST', `/${PHX}/20170907/dkims`, { emailDomainId: domainId });
  expect(response.status).toBe(200);
  return { domainId, dkim: await json<WireDkim>(response) };
}

const getDkim = async (id: string) =>
  json<WireDkim>(await world.request('GET', `/${PHX}/20170907/dkims/${id}`));
const activeKeyOf = async (domainId: string) =>
  (
    await json<{ activeDkimId?: string }>(
      await world.request('GET', `/${PHX}/20170907/emailDomains/${domainId}`),
    )
  ).activeDkimId;

async function runChecks(): Promise<number> {
  const region = await world.deps.regions.open(PHX);
  return (await checkDueRecords(world.runtime, region, { resolver: world.deps.resolver })).checked;
}

const publish = (dkim: WireDkim) => {
  doh.zone[dkim.dnsSubdomainName.replace(/\.$/, '')] = { TXT: [dkim.txtRecordValue] };
};

describe('DKIM record checks', () => {
  it('looks again every minute while a new key waits for its record, and turns ACTIVE when it appears', async () => {
    const { domainId, dkim } = await domainWithKey();
    expect(dkim.lifecycleState).toBe('NEEDS_ATTENTION');
    expect(await runChecks()).toBe(0);

    publish(dkim);
    world.runtime.clock.advance(MINUTE - 1);
    expect(await runChecks()).toBe(0);
    world.runtime.clock.advance(1);
    expect(await runChecks()).toBe(1);
    expect(await getDkim(dkim.id)).toMatchObject({ lifecycleState: 'ACTIVE' });
    expect((await getDkim(dkim.id)).lifecycleDetails).toBeUndefined();
    expect(await activeKeyOf(domainId)).toBe(dkim.id);

    // Found records are rechecked hourly; one taken down stops the key signing.
    world.runtime.clock.advance(MINUTE);
    expect(await runChecks()).toBe(0);
    doh.zone[dkim.dnsSubdomainName.replace(/\.$/, '')] = {};
    world.runtime.clock.advance(59 * MINUTE);
    expect(await runChecks()).toBe(1);
    expect(await getDkim(dkim.id)).toMatchObject({ lifecycleState: 'NEEDS_ATTENTION' });
    expect(await activeKeyOf(domainId)).toBeUndefined();
  });

  it('checks hourly once a key is an hour old, and keeps the state through a DNS failure', async () => {
    const { dkim } = await domainWithKey();
    for (let minute = 1; minute <= 60; minute++) {
      world.runtime.clock.advance(MINUTE);
      expect(await runChecks()).toBe(1);
    }
    world.runtime.clock.advance(MINUTE);
    expect(await runChecks()).toBe(0);
    world.runtime.clock.advance(59 * MINUTE);
    doh.mode = 'http-503';
    expect(await runChecks()).toBe(1);
    expect(await getDkim(dkim.id)).toMatchObject({ lifecycleState: 'NEEDS_ATTENTION' });
    // A failed lookup is tried again in a minute, not an hour.
    doh.mode = 'answer';
    publish(dkim);
    world.runtime.clock.advance(MINUTE);
    expect(await runChecks()).toBe(1);
    expect(await getDkim(dkim.id)).toMatchObject({ lifecycleState: 'ACTIVE' });
  });

  it('checks only live keys: a deleted one is never looked up again', async () => {
    const { dkim } = await domainWithKey();
    expect((await world.request('DELETE', `/${PHX}/20170907/dkims/${dkim.id}`)).status).toBe(202);
    world.runtime.clock.advance(2 * MINUTE);
    const before = doh.queries.length;
    expect(await runChecks()).toBe(0);
    expect(doh.queries.length).toBe(before);
    expect(await getDkim(dkim.id)).toMatchObject({ lifecycleState: 'DELETED' });
  });
});

describe('purging what was deleted', () => {
  it('removes deleted domains, keys and return paths, and old work requests, after the retention days', async () => {
    const { domainId, dkim } = await domainWithKey();
    expect((await world.request('DELETE', `/${PHX}/20170907/emailDomains/${domainId}`)).status).toBe(202);
    const region = await world.deps.regions.open(PHX);
    world.runtime.clock.advance(6 * 24 * 60 * MINUTE);
    expect(await purgeDeletedSenders(world.runtime, region, 7)).toBe(0);
    expect(await getDkim(dkim.id)).toMatchObject({ lifecycleState: 'DELETED' });
    world.runtime.clock.advance(2 * 24 * 60 * MINUTE);
    // The domain and its key, and the work requests of the create, the key's create and the delete.
    expect(await purgeDeletedSenders(world.runtime, region, 7)).toBe(5);
    expect((await world.request('GET', `/${PHX}/20170907/dkims/${dkim.id}`)).status).toBe(404);
    expect((await world.request('GET', `/${PHX}/20170907/emailDomains/${domainId}`)).status).toBe(404);
  });
});
