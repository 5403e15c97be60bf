import { afterEach, describe, expect, it } from 'vitest';
import { deliverWebhooks, WEBHOOK_RETRY_INTERVALS_MS } from '../../../src/domain/webhooks/deliver';
import { DAY_MS } from '../../../src/values/durations';
import { json } from '../../support/api';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { COMPARTMENT_A, createWorld, IAD, PHX, TENANCY, type World } from '../../support/world';
import { newGroup, newPolicy, newUser } from '../identity/identity-helpers';

const SECRETS_KEY = 'a-secrets-key-for-the-webhook-tests-32+';
const HOOKS = (region = PHX) => `/${region}/20170907/webhookSubscriptions`;
const EVENTS = (region = PHX) => `/${region}/20220926/deliveryEvents`;
/** Each compartment's own approved sender: an address is approved once per tenancy. */
const SENDER: Record<string, string> = {
  [TENANCY]: 'app@example.com',
  [COMPARTMENT_A]: 'team-a@example.com',
};

const worlds: World[] = [];
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) w.close();
  for (const r of receivers.splice(0)) await r.close();
});

async function world(): Promise<World> {
  const w = createWorld({ SECRETS_KEY, QUOTA_EMAILS_PER_MINUTE: '1000' });
  worlds.push(w);
  await w.admin();
  for (const [compartmentId, emailAddress] of Object.entries(SENDER)) {
    const approved = await w.request('POST', `/${PHX}/20170907/senders`, { compartmentId, emailAddress });
    expect(approved.status).toBe(200);
  }
  return w;
}

const submit = (w: World, compartmentId: string, to: string) =>
  w.request('POST', `/${PHX}/20220926/actions/submitEmail`, {
    sender: { compartmentId, senderAddress: { email: SENDER[compartmentId] } },
    recipients: { to: [{ email: to }] },
    subject: 'hello',
    bodyText: 'hello',
  });

async function subscribe(w: World, url: string, compartmentId = TENANCY) {
  const response = await w.request('POST', HOOKS(), { compartmentId, url, eventTypes: ['ACCEPTED'] });
  expect(response.status).toBe(200);
  return json<{ id: string; secret: string }>(response);
}

const webhooksOf = async (w: World) => {
  const region = await w.deps.regions.open(PHX);
  return (overrides = {}) => deliverWebhooks(w.runtime, region, w.deps.webhooks!, overrides);
};

describe('webhook retries and disabling (manual clock)', () => {
  it('retries a failing endpoint with backoff until 24 hours after the event, the last try at that time', async () => {
    const w = await world();
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const { id, secret } = await subscribe(w, receiver.url);
    receiver.secret = secret;
    expect((await submit(w, TENANCY, 'someone@example.net')).status).toBe(200);
    const pass = await webhooksOf(w);
    const start = w.runtime.clock.now().getTime();
    const tries: number[] = [];
    receiver.otherwise = { status: 500 };
    for (let hour = 0; hour <= 30 * 60; hour += 1) {
      const before = receiver.received.length;
      await pass();
      if (receiver.received.length > before) tries.push(w.runtime.clock.now().getTime() - start);
      w.runtime.clock.advance(60_000);
    }
    // 5 s (the next minute here), 5 min, 30 min, 2 h, 5 h and 10 h apart, then once more at the give-up
    // time, 24 hours after the event, and never after it.
    expect(tries[0]).toBe(0);
    expect(tries.at(-1)).toBe(DAY_MS);
    expect(tries.length).toBe(WEBHOOK_RETRY_INTERVALS_MS.length + 2);
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    expect(gaps.slice(1, 6)).toEqual(WEBHOOK_RETRY_INTERVALS_MS.slice(1));
    // Signed as the library signs; its timestamp check would refuse this test's manual clock.
    expect(receiver.received.every((r) => r.signed)).toBe(true);
    const deliveries = await json<{ state: string; attempts: number; lastResponseCode: number }[]>(
      await w.request('GET', `${HOOKS()}/${id}/deliveries`),
    );
    expect(deliveries).toEqual([
      expect.objectContaining({ state: 'FAILED', attempts: tries.length, lastResponseCode: 500 }),
    ]);
  });

  it('disables a subscription whose deliveries all failed for 3 days, and says so; enabling starts it again', async () => {
    const w = await world();
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const { id } = await subscribe(w, receiver.url);
    receiver.otherwise = { status: 502 };
    const pass = await webhooksOf(w);
    let state = 'ACTIVE';
    for (let hour = 0; hour < 5 * 24 && state === 'ACTIVE'; hour += 1) {
      expect((await submit(w, TENANCY, `r${hour}@example.net`)).status).toBe(200);
      await pass({ retryIntervalsMs: [60 * 60_000] });
      w.runtime.clock.advance(60 * 60_000);
      state = (await json<{ lifecycleState: string }>(await w.request('GET', `${HOOKS()}/${id}`)))
        .lifecycleState;
    }
    const disabled = await json<{
      lifecycleState: string;
      lifecycleDetails: string;
      timeFailingSince: string;
    }>(await w.request('GET', `${HOOKS()}/${id}`));
    expect(disabled.lifecycleState).toBe('NEEDS_ATTENTION');
    expect(disabled.lifecycleDetails).toMatch(/failed for 3 days/);
    const failingFor = w.runtime.clock.now().getTime() - Date.parse(disabled.timeFailingSince);
    expect(failingFor).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(failingFor).toBeLessThan(3 * DAY_MS + 3 * 3_600_000);
    const received = receiver.received.length;
    await pass();
    expect(receiver.received.length).toBe(received);

    receiver.otherwise = { status: 200 };
    const enabled = await w.request('PUT', `${HOOKS()}/${id}`, { isEnabled: true });
    expect(await json<{ lifecycleState: string }>(enabled)).toMatchObject({ lifecycleState: 'ACTIVE' });
    await pass();
    expect(receiver.received.length).toBeGreaterThan(received);
  });
});

describe('events and webhooks are isolated by region, compartment and policy', () => {
  it('lists a compartment’s events only in its region, and only to a caller with read email-family there', async () => {
    const w = await world();
    expect((await submit(w, COMPARTMENT_A, 'a@example.net')).status).toBe(200);
    expect((await submit(w, TENANCY, 'root@example.net')).status).toBe(200);
    const inA = await json<{ recipient: string }[]>(
      await w.request('GET', `${EVENTS()}?compartmentId=${COMPARTMENT_A}`),
    );
    expect(inA.map((e) => e.recipient)).toEqual(['a@example.net']);
    const inRoot = await json<{ recipient: string }[]>(
      await w.request('GET', `${EVENTS()}?compartmentId=${TENANCY}`),
    );
    expect(inRoot.map((e) => e.recipient)).toEqual(['root@example.net']);
    const inIad = await json<unknown[]>(
      await w.request('GET', `${EVENTS(IAD)}?compartmentId=${COMPARTMENT_A}`),
    );
    expect(inIad).toEqual([]);

    const readers = await newGroup(w, 'event-readers');
    await newPolicy(w, TENANCY, 'event-readers', [
      'allow group event-readers to read email-family in compartment compartment-a',
    ]);
    const reader = await newUser(w, 'reader', [readers.id]);
    const senders = await newGroup(w, 'sender-admins');
    await newPolicy(w, TENANCY, 'sender-admins', [
      'allow group sender-admins to manage approved-senders in tenancy',
    ]);
    const senderAdmin = await newUser(w, 'sender-admin', [senders.id]);

    expect((await w.requestAs(reader, 'GET', `${EVENTS()}?compartmentId=${COMPARTMENT_A}`)).status).toBe(200);
    for (const [who, compartmentId] of [
      [reader, TENANCY],
      [senderAdmin, COMPARTMENT_A],
    ] as const) {
      const refused = await w.requestAs(who, 'GET', `${EVENTS()}?compartmentId=${compartmentId}`);
      expect(refused.status).toBe(404);
      expect(await json<{ code: string }>(refused)).toMatchObject({ code: 'NotAuthorizedOrNotFound' });
    }
    // Reading does not let a caller subscribe: that takes manage.
    const create = await w.requestAs(reader, 'POST', HOOKS(), {
      compartmentId: COMPARTMENT_A,
      url: 'https://hooks.example.com/x',
      eventTypes: ['RELAYED'],
    });
    expect(create.status).toBe(404);
  });

  it('posts a compartment’s events only to its own subscriptions, and a subscription exists in one region only', async () => {
    const w = await world();
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const { id } = await subscribe(w, receiver.url, COMPARTMENT_A);
    expect((await w.request('GET', `${HOOKS(IAD)}/${id}`)).status).toBe(404);
    expect(
      await json<unknown[]>(await w.request('GET', `${HOOKS(IAD)}?compartmentId=${COMPARTMENT_A}`)),
    ).toEqual([]);
    expect((await submit(w, TENANCY, 'root@example.net')).status).toBe(200);
    expect((await submit(w, COMPARTMENT_A, 'a@example.net')).status).toBe(200);
    await (
      await webhooksOf(w)
    )();
    expect(receiver.received.map((r) => r.payload.data.recipient)).toEqual(['a@example.net']);
  });
});
