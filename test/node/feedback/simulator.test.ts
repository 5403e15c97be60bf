import { describe, expect, it } from 'vitest';
import { deliverDue } from '../../../src/domain/delivery/deliver-due';
import type { DeliveryFeedback } from '../../../src/domain/feedback/feedback-config';
import { scenarioOf } from '../../../src/domain/simulator';
import { suppressions } from '../../../src/store/schema';
import { createDeliveryWorld, scriptedSink, type DeliveryWorld } from '../delivery/delivery-world';
import { cleanupAfterEach } from '../../support/cleanup';

const DAY = 86_400_000;
const MINUTE = 60_000;
const feedback: DeliveryFeedback = {
  softBounces: { threshold: 3, windowMs: 7 * DAY },
  unsubscribe: undefined,
};

const cleanup = cleanupAfterEach();

async function setup(): Promise<{ w: DeliveryWorld; received: () => Promise<number> }> {
  const sink = await scriptedSink({});
  cleanup.push(() => sink.close());
  const w = await createDeliveryWorld({ port: sink.port });
  cleanup.push(() => w.close());
  return { w, received: async () => (await sink.record()).transactions.length };
}

const listed = async (w: DeliveryWorld) =>
  Object.fromEntries(
    (await w.database.db.select().from(suppressions)).map((s) => [s.emailAddress, s.reason] as const),
  );

describe('simulator addresses at email-blackhole.com', () => {
  it('names a scenario by local part, with or without a +label, in any case', () => {
    expect(scenarioOf('bounce@email-blackhole.com')).toBe('bounce');
    expect(scenarioOf('SoftBounce+run-7@Email-Blackhole.com')).toBe('softbounce');
    expect(scenarioOf('complaint+x@email-blackhole.com')).toBe('complaint');
    expect(scenarioOf('unsubscribe@email-blackhole.com')).toBe('unsubscribe');
    expect(scenarioOf('success@email-blackhole.com')).toBe('success');
    expect(scenarioOf('anyone@email-blackhole.com')).toBeUndefined();
    expect(scenarioOf('bounce@example.com')).toBeUndefined();
  });

  it('bounces, complains and unsubscribes through the feedback path without touching the relay', async () => {
    const { w, received } = await setup();
    const ids = await w.enqueue([
      'bounce@email-blackhole.com',
      'complaint+a@email-blackhole.com',
      'unsubscribe@email-blackhole.com',
      'success@email-blackhole.com',
      'softbounce@email-blackhole.com',
    ]);
    expect(await deliverDue(w.runtime, w.region, { feedback })).toMatchObject({
      delivered: 3,
      failed: 1,
      retrying: 1,
    });
    expect(await received()).toBe(0);
    expect(await listed(w)).toEqual({
      'bounce@email-blackhole.com': 'HARDBOUNCE',
      'complaint+a@email-blackhole.com': 'COMPLAINT',
      'unsubscribe@email-blackhole.com': 'UNSUBSCRIBE',
    });
    const bounced = await w.row(ids[0]!);
    expect(bounced).toMatchObject({ state: 'FAILED', lastCode: 550, lastEnhanced: '5.1.1' });
    const [hard] = await w.database.db.select().from(suppressions);
    expect(hard).toMatchObject({
      errorDetail: '550 5.1.1 simulated: no such user',
      // The simulator answered, not the region's relay.
      errorSource: 'email-blackhole.com',
      messageId: bounced.messageId,
    });
  });

  it('turns the third soft bounce within the window into a SOFTBOUNCE suppression', async () => {
    const { w, received } = await setup();
    for (let message = 1; message <= 3; message++) {
      await w.enqueue(['softbounce+t@email-blackhole.com']);
      await deliverDue(w.runtime, w.region, { feedback });
      expect(Object.keys(await listed(w))).toHaveLength(message < 3 ? 0 : 1);
      w.runtime.clock.advance(MINUTE / 2);
    }
    expect(await listed(w)).toEqual({ 'softbounce+t@email-blackhole.com': 'SOFTBOUNCE' });
    expect(await received()).toBe(0);
  });
});
