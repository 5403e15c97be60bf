import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CA } from '../../support/smtp-sink';
import type { Sink } from '../../support/smtp-sink-protocol';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { scriptedSink } from '../delivery/delivery-world';
import {
  eventually,
  FROM,
  rawFrom,
  startDeliveryService,
  submitRaw,
  type NodeDeliveryService,
} from '../delivery/node-support';

const PHX = 'us-phoenix-1';
const HOOKS = `/${PHX}/20170907/webhookSubscriptions`;

interface WireSubscription {
  id: string;
  compartmentId: string;
  url: string;
  eventTypes: string[];
  lifecycleState: string;
  secret?: string;
}

interface WireEvent {
  id: string;
  eventType: string;
  recipient: string;
}

let sink: Sink;
let receiver: WebhookReceiver;
let service: NodeDeliveryService;
let subscription: WireSubscription;

const eventLog = async (): Promise<WireEvent[]> => {
  const response = await service.call(
    'GET',
    `/${PHX}/20220926/deliveryEvents?compartmentId=${service.admin.tenancyId}`,
  );
  return (await response.json()) as WireEvent[];
};

beforeAll(async () => {
  sink = await scriptedSink({
    'gone@example.net': { at: 'rcpt', reply: 550, text: '5.1.1 user unknown' },
  });
  receiver = await startWebhookReceiver();
  service = await startDeliveryService(
    { RELAY_URL: `smtps://127.0.0.1:${sink.port}` },
    { relayCa: TEST_CA, webhooks: { timeoutMs: 500, retryIntervalsMs: [200] } },
  );
  const approved = await service.call('POST', `/${PHX}/20170907/senders`, {
    compartmentId: service.admin.tenancyId,
    emailAddress: FROM,
  });
  expect(approved.status).toBe(200);
  const created = await service.call('POST', HOOKS, {
    compartmentId: service.admin.tenancyId,
    displayName: 'app events',
    url: receiver.url,
    eventTypes: ['ACCEPTED', 'RELAYED', 'BOUNCED', 'DEFERRED'],
  });
  expect(created.status).toBe(200);
  subscription = (await created.json()) as WireSubscription;
  receiver.secret = subscription.secret;
});
afterAll(async () => {
  await service.stop();
  await receiver.close();
  await sink.close();
});

describe('webhooks (real Node entry, loopback receiver, Standard Webhooks verification)', () => {
  it('shows the signing secret once and never again', async () => {
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(subscription.lifecycleState).toBe('ACTIVE');
    const read = (await (
      await service.call('GET', `${HOOKS}/${subscription.id}`)
    ).json()) as WireSubscription;
    expect(read).toMatchObject({ id: subscription.id, url: receiver.url });
    expect(JSON.stringify(read)).not.toContain(subscription.secret);
    const listed = await service.call('GET', `${HOOKS}?compartmentId=${service.admin.tenancyId}`);
    expect(JSON.stringify(await listed.json())).not.toContain(subscription.secret!.slice(6));
    expect(service.logs.join('\n')).not.toContain(subscription.secret!.slice(6));
  });

  it('sends a signed test event on demand', async () => {
    const response = await service.call('POST', `${HOOKS}/${subscription.id}/actions/sendTestEvent`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 200, isSuccess: true });
    const test = receiver.received.find((r) => r.payload.type === 'webhook.test')!;
    expect(test.verified).toBe(true);
  });

  it('delivers every event once verified, through 500s and a timeout, in order per message', async () => {
    receiver.script.push({ status: 500 }, { status: 503 }, 'stall');
    const recipients = ['ok@example.net', 'gone@example.net', 'two@example.net'];
    const submitted = await submitRaw(
      service.server.url,
      service.admin,
      rawFrom('hooks', recipients[0]!),
      recipients,
    );
    expect(submitted.status).toBe(200);

    const wanted = await eventually(async () => {
      const log = (await eventLog()).filter((e) => e.eventType !== 'SUPPRESSED');
      if (log.length < 6) return undefined;
      const got = new Set(receiver.received.filter((r) => r.answered === 200).map((r) => r.payload.data.id));
      return log.every((event) => got.has(event.id)) ? log : undefined;
    }, 20_000);

    const events = receiver.received.filter((r) => r.payload.type.startsWith('email.'));
    expect(events.every((r) => r.verified)).toBe(true);
    // At least once: each event id arrives under one webhook-id, however often it was tried.
    const idsByEvent = new Map<unknown, Set<string>>();
    for (const r of events)
      idsByEvent.set(r.payload.data.id, (idsByEvent.get(r.payload.data.id) ?? new Set()).add(r.webhookId));
    expect([...idsByEvent.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(idsByEvent.size).toBe(wanted.length);
    expect(events.some((r) => r.answered === 'stalled')).toBe(true);
    expect(events.filter((r) => r.answered === 500 || r.answered === 503)).toHaveLength(2);
    // Per recipient (one message each), the events arrive in the order they happened.
    for (const recipient of recipients) {
      const arrived = events
        .filter((r) => r.payload.data.recipient === recipient && r.answered === 200)
        .map((r) => r.payload.data.eventType);
      expect(arrived[0]).toBe('ACCEPTED');
      expect(arrived.length).toBe(2);
    }

    const deliveries = await service.call('GET', `${HOOKS}/${subscription.id}/deliveries`);
    const records = (await deliveries.json()) as {
      state: string;
      attempts: number;
      lastResponseCode?: number;
    }[];
    expect(records).toHaveLength(wanted.length);
    expect(records.every((r) => r.state === 'DELIVERED' && r.lastResponseCode === 200)).toBe(true);
    expect(records.reduce((sum, r) => sum + r.attempts, 0)).toBe(wanted.length + 3);
  });

  it('refuses a url that is not https, plain http only to loopback', async () => {
    for (const url of [
      'http://example.com/hook',
      'ftp://127.0.0.1/x',
      'https://user:pw@example.com/',
      'not a url',
    ]) {
      const response = await service.call('POST', HOOKS, {
        compartmentId: service.admin.tenancyId,
        url,
        eventTypes: ['RELAYED'],
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe('InvalidParameter');
    }
  });

  it('pauses, resumes and deletes a subscription; a paused one receives nothing', async () => {
    const paused = await service.call('PUT', `${HOOKS}/${subscription.id}`, { isEnabled: false });
    expect(((await paused.json()) as WireSubscription).lifecycleState).toBe('INACTIVE');
    const before = receiver.received.length;
    const submitted = await submitRaw(service.server.url, service.admin, rawFrom('paused', 'p@example.net'), [
      'p@example.net',
    ]);
    expect(submitted.status).toBe(200);
    await eventually(async () =>
      (await eventLog()).some((e) => e.recipient === 'p@example.net' && e.eventType === 'RELAYED')
        ? true
        : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.length).toBe(before);
    const resumed = await service.call('PUT', `${HOOKS}/${subscription.id}`, { isEnabled: true });
    expect(((await resumed.json()) as WireSubscription).lifecycleState).toBe('ACTIVE');
    // Resumed, it takes up from where it paused: the events written meanwhile arrive.
    await eventually(() =>
      Promise.resolve(
        receiver.received.some((r) => r.payload.data.recipient === 'p@example.net') ? true : undefined,
      ),
    );
    expect((await service.call('DELETE', `${HOOKS}/${subscription.id}`)).status).toBe(204);
    expect((await service.call('GET', `${HOOKS}/${subscription.id}`)).status).toBe(404);
  });
});
