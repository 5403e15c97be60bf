import { describe, expect, it } from 'vitest';
import { deliverDue } from '../../../src/domain/delivery/deliver-due';
import type { DeliveryOutcome } from '../../../src/domain/delivery/run';
import { createDeliveryWorld, scriptedSink } from './delivery-world';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();

async function setup() {
  const sink = await scriptedSink({
    'gone@example.test': { at: 'rcpt', reply: 550, text: '5.1.1 No such user' },
  });
  cleanup.push(() => sink.close());
  const w = await createDeliveryWorld({ port: sink.port });
  cleanup.push(() => w.close());
  return { sink, w };
}

describe('delivery hooks', () => {
  it("relays each copy as the per-copy transform rewrote it, after the run's own changes", async () => {
    const { sink, w } = await setup();
    await w.enqueue(['a@example.test', 'b@example.test']);
    const seen: string[] = [];
    await deliverDue(w.runtime, w.region, {
      hooks: {
        transformCopy: (copy, row) => {
          seen.push(row.recipient);
          return Promise.resolve({ ...copy, raw: `X-Copy-For: ${copy.to}\r\n${copy.raw}` });
        },
      },
    });
    const transactions = (await sink.record()).transactions;
    expect(seen.sort()).toEqual(['a@example.test', 'b@example.test']);
    expect(transactions.map((t) => t.raw.split('\r\n', 1)[0]).sort()).toEqual([
      'X-Copy-For: a@example.test',
      'X-Copy-For: b@example.test',
    ]);
  });

  it('tells the outcome listener of each recorded attempt, delivered or bounced', async () => {
    const { w } = await setup();
    const [delivered, bounced] = await w.enqueue(['ok@example.test', 'gone@example.test']);
    const heard: DeliveryOutcome[] = [];
    await deliverDue(w.runtime, w.region, { hooks: { onOutcome: (outcome) => heard.push(outcome) } });
    const byId = new Map(heard.map((outcome) => [outcome.deliveryId, outcome]));
    expect(heard).toHaveLength(2);
    expect(byId.get(delivered!)).toMatchObject({
      region: 'us-phoenix-1',
      recipient: 'ok@example.test',
      decision: { state: 'DELIVERED' },
      attempts: 1,
      code: 250,
    });
    expect(byId.get(bounced!)).toMatchObject({
      recipient: 'gone@example.test',
      decision: { state: 'FAILED' },
      code: 550,
      enhanced: '5.1.1',
    });
  });
});
