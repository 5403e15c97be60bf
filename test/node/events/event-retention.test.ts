import { afterEach, expect, it } from 'vitest';
import { purgeOldEvents } from '../../../src/domain/events/purge-old';
import { deliverWebhooks } from '../../../src/domain/webhooks/deliver';
import { DAY_MS } from '../../../src/values/durations';
import { json } from '../../support/api';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { createWorld, PHX, TENANCY, type World } from '../../support/world';

const worlds: World[] = [];
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) w.close();
  for (const r of receivers.splice(0)) await r.close();
});

const submit = (w: World, to: string) =>
  w.request('POST', `/${PHX}/20220926/actions/submitEmail`, {
    sender: { compartmentId: TENANCY, senderAddress: { email: 'app@example.com' } },
    recipients: { to: [{ email: to }] },
    subject: 'kept for a while',
    bodyText: 'hello',
  });

it('purges events and finished webhook deliveries older than EVENT_RETENTION_DAYS, and nothing newer', async () => {
  const w = createWorld({
    SECRETS_KEY: 'a-secrets-key-for-the-retention-test-32',
    EVENT_RETENTION_DAYS: '7',
  });
  worlds.push(w);
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  expect(
    (
      await w.request('POST', `/${PHX}/20170907/senders`, {
        compartmentId: TENANCY,
        emailAddress: 'app@example.com',
      })
    ).status,
  ).toBe(200);
  const created = await w.request('POST', `/${PHX}/20170907/webhookSubscriptions`, {
    compartmentId: TENANCY,
    url: receiver.url,
    eventTypes: ['ACCEPTED'],
  });
  const { id } = await json<{ id: string }>(created);
  const region = await w.deps.regions.open(PHX);

  expect((await submit(w, 'old@example.net')).status).toBe(200);
  await deliverWebhooks(w.runtime, region, w.deps.webhooks!);
  w.runtime.clock.advance(8 * DAY_MS);
  expect((await submit(w, 'new@example.net')).status).toBe(200);
  await deliverWebhooks(w.runtime, region, w.deps.webhooks!);

  expect(await purgeOldEvents(w.runtime, region, 7)).toBe(1);
  const events = await json<{ recipient: string }[]>(
    await w.request('GET', `/${PHX}/20220926/deliveryEvents?compartmentId=${TENANCY}`),
  );
  expect(events.map((e) => e.recipient)).toEqual(['new@example.net']);
  const deliveries = await json<unknown[]>(
    await w.request('GET', `/${PHX}/20170907/webhookSubscriptions/${id}/deliveries`),
  );
  expect(deliveries).toHaveLength(1);
  expect(w.runtime.logger.entries.some((e) => e.event === 'events.purged')).toBe(true);
});
