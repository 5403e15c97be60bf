import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { afterEach, expect, inject, it } from 'vitest';
import { workerJobs } from '../../../src/jobs/schedule';
import { deliveries, schema, submissionParts, submissions } from '../../../src/store/schema';
import worker from '../../../src/worker';
import { remoteSinks } from '../../support/remote-sinks';
import type { Sink } from '../../support/smtp-sink-protocol';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaedgedelivery';
const RAW =
  'From: <edge@example.test>\r\nTo: <far@example.test>\r\nSubject: edge\r\n\r\nSent from workerd.\r\n';
const sinks = remoteSinks(inject('smtpSinkControl'));
let sink: Sink | undefined;

afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

it('relays a QUEUED row through worker-mailer from the scheduled() entry', async () => {
  sink = await sinks.start({ tls: 'implicit' });
  const db = drizzle(env.DB_PHX, { schema });
  const now = Date.now();
  const id = `edge-${now}`;
  await db.batch([
    db.insert(submissions).values({
      id,
      tenancyId: TENANCY,
      contentHash: id,
      messageId: `${id}@example.test`,
      sender: 'edge@example.test',
      compartmentId: TENANCY,
      response: {},
      sizeBytes: RAW.length,
      timeCreated: now,
    }),
    db.insert(submissionParts).values([
      { submissionId: id, seq: 1, data: RAW.slice(20) },
      { submissionId: id, seq: 0, data: RAW.slice(0, 20) },
    ]),
    db.insert(deliveries).values({
      id,
      submissionId: id,
      tenancyId: TENANCY,
      messageId: `${id}@example.test`,
      sender: 'edge@example.test',
      recipient: 'far@example.test',
      state: 'QUEUED',
      nextAttemptAt: now - 1_000,
      giveUpAt: now + 72 * 3_600_000,
      timeCreated: now,
      timeUpdated: now,
    }),
  ]);

  const cron = workerJobs.find((job) => job.name === 'deliver-due')!.cron;
  const ctx = createExecutionContext();
  const relayEnv = { ...env, RELAY_URL: `smtps://127.0.0.1:${sink.port}` };
  worker.scheduled(createScheduledController({ cron, scheduledTime: now }), relayEnv, ctx);
  await waitOnExecutionContext(ctx);

  const record = await sink.record();
  expect(record.transactions).toEqual([
    expect.objectContaining({
      secure: true,
      mailFrom: 'edge@example.test',
      rcptTo: ['far@example.test'],
      raw: RAW,
    }),
  ]);
  // The invocation closed its relay: the sink sees every session end (QUIT may land just after the run).
  let ended = record;
  for (let i = 0; i < 50 && ended.disconnections < ended.connections; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    ended = await sink.record();
  }
  expect(ended.disconnections).toBe(ended.connections);
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  expect(row).toMatchObject({ state: 'DELIVERED', attempts: 1, lastCode: 250, leaseOwner: null });
});
