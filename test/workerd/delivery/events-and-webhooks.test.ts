import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, expect, inject, it } from 'vitest';
import { workerJobs } from '../../../src/jobs/schedule';
import worker from '../../../src/worker';
import { signRequest, type Principal } from '../../../src/crypto/request-signature';
import { remoteReceiver, remoteSinks, type RemoteReceiver } from '../../support/remote-sinks';
import type { Sink } from '../../support/smtp-sink-protocol';
import { signedFetch, workerAdmin } from '../signed-fetch';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaedgeevents';
const SENDER = 'events@example.com';
const control = inject('smtpSinkControl');
const sinks = remoteSinks(control);
let sink: Sink | undefined;
let receiver: RemoteReceiver | undefined;

afterEach(async () => {
  await sink?.close();
  await receiver?.close();
  sink = undefined;
  receiver = undefined;
});

async function adminWithSender(): Promise<Principal> {
  const admin = await workerAdmin(TENANCY);
  const created = await signedFetch(admin, 'POST', '/us-phoenix-1/20170907/senders', {
    compartmentId: TENANCY,
    emailAddress: SENDER,
  });
  expect([200, 409]).toContain(created.status);
  return admin;
}

it('writes events to D1 and posts them to a subscription after the answer, signed (Workers + D1)', async () => {
  sink = await sinks.start({ tls: 'implicit' });
  receiver = await remoteReceiver(control);
  const admin = await adminWithSender();
  const created = await signedFetch(admin, 'POST', '/us-phoenix-1/20170907/webhookSubscriptions', {
    compartmentId: TENANCY,
    url: receiver.url,
    eventTypes: ['ACCEPTED', 'RELAYED', 'COMPLAINED'],
  });
  expect(created.status).toBe(200);
  const { secret } = await created.json<{ secret: string }>();
  await receiver.trust(secret);

  const details = {
    sender: { compartmentId: TENANCY, senderAddress: { email: SENDER } },
    recipients: { to: [{ email: 'edge@example.net' }] },
    subject: 'events from the edge',
    bodyText: 'hello',
  };
  const signed = await signRequest(
    admin,
    'POST',
    'http://worker.test/us-phoenix-1/20220926/actions/submitEmail',
    JSON.stringify(details),
    {},
    { now: new Date() },
  );
  const ctx = createExecutionContext();
  const relayEnv = { ...env, RELAY_URL: `smtps://127.0.0.1:${sink.port}` };
  const response = await worker.fetch(new Request(signed.url, signed), relayEnv, ctx);
  expect(response.status).toBe(200);
  const { messageId } = await response.json<{ messageId: string }>();
  await waitOnExecutionContext(ctx);

  const listed = await signedFetch(
    admin,
    'GET',
    `/us-phoenix-1/20220926/deliveryEvents?compartmentId=${TENANCY}&messageId=${encodeURIComponent(messageId)}`,
  );
  expect(listed.status).toBe(200);
  const events = await listed.json<{ id: string; eventType: string }[]>();
  expect(events.map((e) => e.eventType)).toEqual(['RELAYED', 'ACCEPTED']);

  const received = await receiver.received();
  expect(received.map((r) => r.payload.type)).toEqual(['email.accepted', 'email.relayed']);
  expect(received.every((r) => r.verified && r.answered === 200)).toBe(true);
  expect(received.map((r) => r.payload.data.id)).toEqual(events.map((e) => e.id).reverse());

  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();
  const metrics = await signedFetch(
    admin,
    'GET',
    `/us-phoenix-1/20220926/deliveryMetrics?compartmentId=${TENANCY}&interval=PT1H&timeStart=${from}&timeEnd=${to}`,
  );
  expect(metrics.status).toBe(200);
  const { items } = await metrics.json<{ items: { counts: Record<string, number> }[] }>();
  expect(items.reduce((sum, bucket) => sum + (bucket.counts.RELAYED ?? 0), 0)).toBeGreaterThanOrEqual(1);

  // An event no submit woke the webhooks for (a complaint reported later) goes out with the cron sweep.
  await env.DB_PHX.prepare(
    `INSERT INTO delivery_events (id, tenancy_id, compartment_id, event_type, message_id, sender, recipient, time_created)
     VALUES ('complaint-1', ?, ?, 'COMPLAINED', ?, ?, 'edge@example.net', ?)`,
  )
    .bind(TENANCY, TENANCY, messageId, SENDER, Date.now())
    .run();
  const cron = workerJobs.find((job) => job.name === 'deliver-due')!.cron;
  const sweep = createExecutionContext();
  worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), relayEnv, sweep);
  await waitOnExecutionContext(sweep);
  const afterSweep = await receiver.received();
  expect(afterSweep.map((r) => r.payload.type)).toEqual([
    'email.accepted',
    'email.relayed',
    'email.complained',
  ]);
  expect(afterSweep.every((r) => r.verified)).toBe(true);
});
