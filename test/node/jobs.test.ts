import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workerJobs, runScheduled } from '../../src/jobs/schedule';
import { CONTROL, createSender, json } from '../support/api';
import { createWorld, IAD, PHX, TENANCY, type World } from '../support/world';

let world: World;
beforeEach(() => {
  world = createWorld({ SENDER_RETENTION_DAYS: '7', SUBMISSION_RETENTION_DAYS: '30' });
});
afterEach(() => world.close());

const DAY = 86_400_000;
const purge = workerJobs.find((job) => job.name === 'purge-deleted-senders')!;

describe('purge-deleted-senders', () => {
  it('removes deleted senders after the retention period, in every region', async () => {
    const phx = await createSender(world, 'a@example.com', PHX);
    const iad = await createSender(world, 'a@example.com', IAD);
    const live = await createSender(world, 'live@example.com', PHX);
    await world.request('DELETE', `${CONTROL(PHX)}/senders/${phx.id}`);
    await world.request('DELETE', `${CONTROL(IAD)}/senders/${iad.id}`);

    world.runtime.clock.advance(6 * DAY);
    await runScheduled(purge.cron, world.deps);
    expect((await world.request('GET', `${CONTROL(PHX)}/senders/${phx.id}`)).status).toBe(200);

    world.runtime.clock.advance(2 * DAY);
    await runScheduled(purge.cron, world.deps);
    expect((await world.request('GET', `${CONTROL(PHX)}/senders/${phx.id}`)).status).toBe(404);
    expect((await world.request('GET', `${CONTROL(IAD)}/senders/${iad.id}`)).status).toBe(404);
    expect((await world.request('GET', `${CONTROL(PHX)}/senders/${live.id}`)).status).toBe(200);
    expect(world.runtime.logger.entries.filter((e) => e.event === 'senders.purged')).toHaveLength(2);
  });

  it('works through more deleted senders than one batch holds', async () => {
    const region = await world.deps.regions.open(PHX);
    const senders = region.store.forTenancy(TENANCY).senders;
    for (let i = 0; i < 1_200; i++) {
      const id = `ocid1.emailsender.oc1.us-phoenix-1.bulk${i}`;
      await senders.insert({
        id,
        compartmentId: TENANCY,
        emailAddress: `bulk${i}@example.com`,
        lifecycleState: 'ACTIVE',
        isSpf: false,
        emailIpPoolId: null,
        locks: [],
        freeformTags: {},
        definedTags: {},
        etag: 'e',
        timeCreated: world.runtime.clock.now(),
      });
      await senders.update(id, {
        lifecycleState: 'DELETED',
        timeDeleted: world.runtime.clock.now(),
        etag: 'd',
        timeUpdated: world.runtime.clock.now(),
      });
    }
    world.runtime.clock.advance(8 * DAY);
    await runScheduled(purge.cron, world.deps);
    const left = await json<unknown[]>(
      await world.request('GET', `${CONTROL(PHX)}/senders?compartmentId=${TENANCY}&lifecycleState=DELETED`),
    );
    expect(left).toEqual([]);
  });
});

describe('purge-old-submissions', () => {
  const purgeSubmissions = workerJobs.find((job) => job.name === 'purge-old-submissions')!;
  const submit = async (to: string) => {
    const response = await world.request('POST', `/${PHX}/20220926/actions/submitEmail`, {
      sender: { compartmentId: TENANCY, senderAddress: { email: 'app@example.com' } },
      recipients: { to: [{ email: to }] },
      subject: 'kept a while',
      bodyText: 'Hello',
    });
    expect(response.status).toBe(200);
    return json<{ messageId: string }>(response);
  };
  const state = (messageId: string) =>
    world.request('GET', `/${PHX}/20220926/messages/${encodeURIComponent(messageId)}`);
  const count = async (table: string) =>
    Number(
      (await world.databases.get(PHX)?.client.execute(`SELECT count(*) AS n FROM ${table}`))?.rows[0]?.n,
    );

  it('removes finished submissions after the retention period, keeps unfinished ones and drops old quota windows', async () => {
    await createSender(world, 'app@example.com', PHX);
    const finished = await submit('volume@email-blackhole.com');
    const unfinished = await submit('someone@example.net');
    expect(await count('quota_usage')).toBe(2);

    world.runtime.clock.advance(29 * DAY);
    await runScheduled(purgeSubmissions.cron, world.deps);
    expect((await state(finished.messageId)).status).toBe(200);

    world.runtime.clock.advance(2 * DAY);
    await runScheduled(purgeSubmissions.cron, world.deps);
    expect((await state(finished.messageId)).status).toBe(404);
    expect((await state(unfinished.messageId)).status).toBe(200);
    expect(await count('submissions')).toBe(1);
    expect(await count('submission_parts')).toBe(1);
    expect(await count('deliveries')).toBe(1);
    expect(await count('quota_usage')).toBe(0);
    expect(world.runtime.logger.entries.filter((e) => e.event === 'submissions.purged')).toHaveLength(2);
  });
});

it('schedules every job in wrangler.toml too', () => {
  const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
  const crons = /crons\s*=\s*\[([^\]]*)\]/.exec(toml)?.[1] ?? '';
  const listed = [...crons.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(listed)).toEqual(new Set(workerJobs.map((job) => job.cron)));
});
