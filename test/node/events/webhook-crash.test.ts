import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { WEBHOOK_LIMITS } from '../../../src/domain/webhooks/deliver';
import { bootstrapNodeAdmin, signedFetch } from '../../support/node-admin';
import { closedPort } from '../../support/smtp-sink';
import { startServerProcess } from '../../support/tsx-process';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { eventually, FROM, NO_RESOLVER, NODE_TENANCY, rawFrom, submitRaw } from '../delivery/node-support';

const MESSAGES = 20;
const STALLED = 5;

let dataDir: string | undefined;
let child: ChildProcess | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await receiver?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('loses no webhook when the process is killed with SIGKILL mid-delivery and restarted', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'email-webhook-crash-'));
  const admin = await bootstrapNodeAdmin(dataDir, NODE_TENANCY);
  receiver = await startWebhookReceiver();
  // The first posts never get an answer: they are in flight when the process dies.
  receiver.script.push(...Array.from({ length: STALLED }, () => 'stall' as const));
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    // Port 0 for the SMTP listeners too: the defaults may be taken by another test or a running server.
    SMTP_STARTTLS_PORT: '0',
    SMTP_TLS_PORT: '0',
    DATA_DIR: dataDir,
    REGIONS: 'us-phoenix-1',
    DOH_URL: NO_RESOLVER,
    DELIVERY_LEASE_SECONDS: '10',
  };
  child = await startServerProcess(env);
  const call = (method: string, path: string, body?: unknown) =>
    signedFetch(admin, method, `${url}${path}`, body);
  expect(
    (
      await call('POST', '/us-phoenix-1/20170907/senders', {
        compartmentId: NODE_TENANCY,
        emailAddress: FROM,
      })
    ).status,
  ).toBe(200);
  const created = await call('POST', '/us-phoenix-1/20170907/webhookSubscriptions', {
    compartmentId: NODE_TENANCY,
    url: receiver.url,
    eventTypes: ['ACCEPTED', 'RELAYED'],
  });
  expect(created.status).toBe(200);
  receiver.secret = ((await created.json()) as { secret: string }).secret;

  for (let i = 0; i < MESSAGES; i++) {
    const to = `r${i}@example.net`;
    expect((await submitRaw(url, admin, rawFrom(`crash-${i}`, to), [to])).status).toBe(200);
  }
  await eventually(() => Promise.resolve(receiver!.received.length >= STALLED ? true : undefined));
  const victim = child;
  const exited = new Promise((resolve) => victim.once('exit', resolve));
  victim.kill('SIGKILL');
  await exited;
  child = await startServerProcess(env);

  const events = await eventually(async () => {
    const response = await call(
      'GET',
      `/us-phoenix-1/20220926/deliveryEvents?compartmentId=${NODE_TENANCY}&limit=1000`,
    );
    const log = (await response.json()) as { id: string }[];
    if (log.length < MESSAGES * 2) return undefined;
    const answered = new Set(
      receiver!.received.filter((r) => r.answered === 200).map((r) => r.payload.data.id),
    );
    return log.every((event) => answered.has(event.id)) ? log : undefined;
  }, 45_000);

  const posts = receiver.received.filter((r) => r.payload.type.startsWith('email.'));
  expect(posts.every((r) => r.verified)).toBe(true);
  // Sent again only where the kill cut a post short, or came before its answer was written (the posts in
  // flight and one group of answers at most): those carry the same webhook-id as before.
  const again = posts.length - new Set(posts.map((r) => r.webhookId)).size;
  expect(again).toBeGreaterThanOrEqual(STALLED);
  expect(again).toBeLessThanOrEqual(WEBHOOK_LIMITS.concurrency + WEBHOOK_LIMITS.completionGroup);
  expect(new Set(posts.map((r) => r.payload.data.id)).size).toBe(events.length);
}, 90_000);
