import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../../src/worker';
import { workerJobs } from '../../src/jobs/schedule';
import { schema, senders, suppressions } from '../../src/store/schema';
import { signedFetch, workerAdmin } from './signed-fetch';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaalocaltenancy';

beforeEach(async () => {
  for (const binding of [env.DB_PHX, env.DB_IAD]) {
    const db = drizzle(binding, { schema });
    await db.batch([db.delete(senders), db.delete(suppressions)]);
  }
});

/** Every call is signed by the tenancy's administrator, seeded into DB_IDENTITY. */
async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return signedFetch(await workerAdmin(TENANCY), method, path, body);
}

describe('worker fetch', () => {
  it('answers health checks without touching a region', async () => {
    const response = await call('GET', '/healthz');
    expect(response.status).toBe(200);
  });

  it('approves a sender in D1 for one region only', async () => {
    const created = await call('POST', '/us-phoenix-1/20170907/senders', {
      compartmentId: TENANCY,
      emailAddress: 'edge@example.com',
    });
    expect(created.status).toBe(200);
    const sender = await created.json<{ id: string; emailAddress: string }>();
    expect(sender.id).toMatch(/^ocid1\.emailsender\.oc1\.us-phoenix-1\./);

    const list = async (region: string) =>
      (await call('GET', `/${region}/20170907/senders?compartmentId=${TENANCY}`)).json<unknown[]>();
    const phx = await list('us-phoenix-1');
    const iad = await list('us-ashburn-1');
    expect(phx).toHaveLength(1);
    expect(iad).toHaveLength(0);
    expect((await call('GET', `/us-ashburn-1/20170907/senders/${sender.id}`)).status).toBe(404);
  });

  it('answers a region without a D1 binding with 404 NotAuthorizedOrNotFound', async () => {
    const response = await call('GET', `/eu-frankfurt-1/20170907/senders?compartmentId=${TENANCY}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NotAuthorizedOrNotFound' });
  });
});

describe('worker scheduled', () => {
  it('purges senders deleted past the retention period', async () => {
    const db = drizzle(env.DB_PHX, { schema });
    const base = {
      tenancyId: TENANCY,
      compartmentId: TENANCY,
      domain: 'example.com',
      lifecycleState: 'DELETED',
      freeformTags: {},
      definedTags: {},
      etag: 'e',
      timeCreated: 0,
      timeUpdated: 0,
    };
    const longAgo = Date.now() - 30 * 86_400_000;
    await db.insert(senders).values([
      {
        ...base,
        id: 'ocid1.emailsender.oc1.us-phoenix-1.old',
        emailAddress: 'old@example.com',
        emailKey: 'old@example.com',
        timeDeleted: longAgo,
      },
      {
        ...base,
        id: 'ocid1.emailsender.oc1.us-phoenix-1.new',
        emailAddress: 'new@example.com',
        emailKey: 'new@example.com',
        timeDeleted: Date.now(),
      },
    ]);
    const cron = workerJobs.find((job) => job.name === 'purge-deleted-senders')!.cron;
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await db.select({ id: senders.id }).from(senders);
    expect(left.map((row) => row.id)).toEqual(['ocid1.emailsender.oc1.us-phoenix-1.new']);
  });
});
