import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { deliverDue } from '../../../src/domain/delivery/deliver-due';
import type { DeliveryFeedback } from '../../../src/domain/feedback/feedback-config';
import { unsubscribeTokens, type UnsubscribeClaims } from '../../../src/domain/feedback/unsubscribe-token';
import { systemRandomBytes } from '../../../src/platform/system';
import { eq } from 'drizzle-orm';
import { deliveries, suppressions } from '../../../src/store/schema';
import {
  createDeliveryWorld,
  rawMessage,
  scriptedSink,
  TENANCY,
  type DeliveryWorld,
} from '../delivery/delivery-world';
import { cleanupAfterEach } from '../../support/cleanup';

const DAY = 86_400_000;
const SECRET = 'a-test-unsubscribe-secret-of-32-characters';
const cleanup = cleanupAfterEach();

async function setup(script: Parameters<typeof scriptedSink>[0]) {
  const sink = await scriptedSink(script);
  cleanup.push(() => sink.close());
  const w = await createDeliveryWorld({ port: sink.port });
  cleanup.push(() => w.close());
  return { sink, w };
}

const listed = (w: DeliveryWorld) => w.database.db.select().from(suppressions);

const feedback = (overrides: Partial<DeliveryFeedback> = {}): DeliveryFeedback => ({
  softBounces: { threshold: 3, windowMs: 7 * DAY },
  unsubscribe: undefined,
  ...overrides,
});

describe('synchronous relay replies become suppressions', () => {
  it('suppresses a 550 5.1.1 at RCPT as HARDBOUNCE with the reply, message id and remote host', async () => {
    const { w } = await setup({
      'gone@example.test': {
        at: 'rcpt',
        reply: 550,
        text: '5.1.1 host mx.example.test[192.0.2.7] said: user unknown',
      },
    });
    await w.enqueue(['gone@example.test', 'there@example.test']);
    expect(await deliverDue(w.runtime, w.region, { feedback: feedback() })).toMatchObject({
      failed: 1,
      delivered: 1,
    });
    const rows = await listed(w);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tenancyId: TENANCY,
      emailAddress: 'gone@example.test',
      reason: 'HARDBOUNCE',
      errorDetail: expect.stringContaining('550 5.1.1'),
      errorSource: 'mx.example.test',
      messageId: expect.stringMatching(/^msg-\d+@example\.test$/),
      timeCreated: w.runtime.clock.now().getTime(),
      timeLastSuppressed: w.runtime.clock.now().getTime(),
    });
    expect(w.runtime.logger.entries).toContainEqual(
      expect.objectContaining({
        event: 'suppression.added',
        fields: expect.objectContaining({
          reason: 'HARDBOUNCE',
          via: 'relay',
          recipient: 'gone@example.test',
        }),
      }),
    );
  });

  it('suppresses a 5xx at DATA, and updates the one entry a later bounce finds (timeCreated kept)', async () => {
    const { w } = await setup({
      'full@example.test': { at: 'data', reply: 554, text: '5.2.1 mailbox disabled' },
    });
    await w.enqueue(['full@example.test']);
    await deliverDue(w.runtime, w.region, { feedback: feedback() });
    const created = w.runtime.clock.now().getTime();
    w.runtime.clock.advance(DAY);
    await w.enqueue(['full@example.test']);
    // The row is suppressed at claim time now, so feed the bounce as a second delivery would.
    await w.region.store.forTenancy(TENANCY).suppressions.delete((await listed(w))[0]!.id);
    await deliverDue(w.runtime, w.region, { feedback: feedback() });
    const rows = await listed(w);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'HARDBOUNCE', errorDetail: '554 5.2.1 mailbox disabled' });
    expect(rows[0]!.timeLastSuppressed).toBe(created + DAY);
  });

  it('records a policy rejection (5.7.x, block list) on the row but never suppresses', async () => {
    const { w } = await setup({
      'a@example.test': {
        at: 'rcpt',
        reply: 550,
        text: '5.7.1 Service unavailable; client host blocked using zen.spamhaus.org',
      },
      'b@example.test': { at: 'rcpt', reply: 554, text: 'Your IP is on our block list' },
    });
    const [a] = await w.enqueue(['a@example.test', 'b@example.test']);
    expect(await deliverDue(w.runtime, w.region, { feedback: feedback() })).toMatchObject({ failed: 2 });
    expect(await listed(w)).toEqual([]);
    expect(await w.row(a!)).toMatchObject({ state: 'FAILED', lastCode: 550, lastEnhanced: '5.7.1' });
    expect(w.runtime.logger.entries.filter((e) => e.event === 'bounce.policy')).toHaveLength(2);
  });

  it('counts soft bounces per message and suppresses at the third within the window', async () => {
    const { w } = await setup({
      'busy@example.test': { at: 'rcpt', reply: 452, text: '4.2.2 mailbox full' },
    });
    const run = () => deliverDue(w.runtime, w.region, { feedback: feedback() });
    await w.enqueue(['busy@example.test']);
    await run();
    // The same message retried counts once.
    w.runtime.clock.advance(5 * 60_000);
    await run();
    w.runtime.clock.advance(DAY);
    await run();
    expect(await listed(w)).toEqual([]);
    await w.enqueue(['busy@example.test']);
    await run();
    expect(await listed(w)).toEqual([]);
    await w.enqueue(['busy@example.test']);
    await run();
    expect(await listed(w)).toEqual([
      expect.objectContaining({
        emailAddress: 'busy@example.test',
        reason: 'SOFTBOUNCE',
        errorDetail: '452 4.2.2 mailbox full',
      }),
    ]);
  });

  it('starts the count again once the window has passed', async () => {
    const { w } = await setup({
      'busy@example.test': { at: 'rcpt', reply: 452, text: '4.2.2 mailbox full' },
    });
    const run = () =>
      deliverDue(w.runtime, w.region, {
        feedback: feedback({ softBounces: { threshold: 2, windowMs: DAY } }),
      });
    const [first] = await w.enqueue(['busy@example.test'], rawMessage('one'));
    await run();
    // Message one stops retrying here, so only new messages bounce from now on.
    await w.database.db.update(deliveries).set({ state: 'EXPIRED' }).where(eq(deliveries.id, first!));
    w.runtime.clock.advance(DAY + 1);
    await w.enqueue(['busy@example.test'], rawMessage('two'));
    await run();
    expect(await listed(w)).toEqual([]);
    await w.enqueue(['busy@example.test'], rawMessage('three'));
    await run();
    expect(await listed(w)).toHaveLength(1);
  });

  it('does not count a refused connection against the recipient', async () => {
    const w = await createDeliveryWorld({ port: 1 });
    cleanup.push(() => w.close());
    await w.enqueue(['x@example.test']);
    for (let i = 0; i < 4; i++) {
      await deliverDue(w.runtime, w.region, {
        feedback: feedback({ softBounces: { threshold: 1, windowMs: DAY } }),
      });
      w.runtime.clock.advance(DAY);
    }
    expect(await listed(w)).toEqual([]);
  });
});

describe('one-click unsubscribe header at relay time', () => {
  it('adds a signed https link per recipient and List-Unsubscribe-Post, well formed', async () => {
    const { sink, w } = await setup({});
    const tokens = unsubscribeTokens(SECRET, systemRandomBytes);
    const links = { baseUrl: 'https://mail.example.test', seal: (c: UnsubscribeClaims) => tokens.seal(c) };
    await w.enqueue(['a@example.test', 'B@example.test']);
    await deliverDue(w.runtime, w.region, { feedback: feedback({ unsubscribe: links }) });
    const { transactions } = await sink.record();
    expect(transactions).toHaveLength(2);
    for (const t of transactions) {
      const parsed = await PostalMime.parse(t.raw);
      const header = (name: string) => parsed.headers.filter((h) => h.key === name).map((h) => h.value);
      const [value] = header('list-unsubscribe');
      expect(header('list-unsubscribe')).toHaveLength(1);
      expect(header('list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
      const url = /^<(https:\/\/mail\.example\.test\/unsubscribe\/([^>]+))>$/.exec(value ?? '');
      expect(url, value).not.toBeNull();
      const claims = await tokens.open(url![2]!);
      expect(claims).toMatchObject({
        region: 'us-phoenix-1',
        tenancyId: TENANCY,
        recipient: t.rcptTo[0]!.toLowerCase(),
      });
      expect(t.raw.endsWith(rawMessage('hello').slice(rawMessage('hello').indexOf('From:')))).toBe(true);
    }
  });

  it('leaves a message that has its own https link alone, and keeps a mailto-only one beside ours', async () => {
    const { sink, w } = await setup({});
    const links = {
      baseUrl: 'https://mail.example.test',
      seal: (c: UnsubscribeClaims) => unsubscribeTokens(SECRET, systemRandomBytes).seal(c),
    };
    const own = `List-Unsubscribe: <https://app.example.test/u/1>\r\n${rawMessage('own')}`;
    const mailto = `List-Unsubscribe: <mailto:u@example.test>\r\n${rawMessage('mailto')}`;
    await w.enqueue(['own@example.test'], own);
    await w.enqueue(['mailto@example.test'], mailto);
    await deliverDue(w.runtime, w.region, { feedback: feedback({ unsubscribe: links }) });
    const byRcpt = new Map((await sink.record()).transactions.map((t) => [t.rcptTo[0], t.raw]));
    expect(byRcpt.get('own@example.test')).toBe(own);
    const other = byRcpt.get('mailto@example.test')!;
    expect(other.match(/^List-Unsubscribe:/gim)).toHaveLength(1);
    expect(other).toMatch(
      /^List-Unsubscribe: <https:\/\/mail\.example\.test\/unsubscribe\/[^>]+>,\r\n <mailto:u@example\.test>\r\n/,
    );
  });
});
