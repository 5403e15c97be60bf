import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deliveryEvents } from '../../../src/store/schema';
import { deliverDue } from '../../../src/domain/delivery/deliver-due';
import { GIVE_UP_AFTER_MS, RETRY_INTERVALS_MS } from '../../../src/domain/delivery/retry-schedule';
import { MAX_RELAY_CONNECTIONS } from '../../../src/relay/relay-limits';
import { closedPort } from '../../support/smtp-sink';
import type { Sink } from '../../support/smtp-sink-protocol';
import { createDeliveryWorld, rawMessage, scriptedSink, TENANCY } from './delivery-world';
import { cleanupAfterEach } from '../../support/cleanup';
import { sequentialIds } from '../../support/fixed-runtime';

const MINUTE = 60_000;
const cleanup = cleanupAfterEach();

/** The delivery events the world's region wrote, in order. */
const eventsOf = (w: Awaited<ReturnType<typeof world>>) =>
  w.database.db.select().from(deliveryEvents).orderBy(asc(deliveryEvents.seq));

async function world(sinkPort: number, options: Parameters<typeof createDeliveryWorld>[1] = {}) {
  const w = await createDeliveryWorld({ port: sinkPort }, options);
  cleanup.push(() => w.close());
  return w;
}

async function sinkWith(script: Parameters<typeof scriptedSink>[0] = {}, port?: number) {
  const sink = await scriptedSink(script, port);
  cleanup.push(() => sink.close());
  return sink;
}

const received = async (sink: Sink, to: string) =>
  (await sink.record()).transactions.filter((t) => t.rcptTo.includes(to));

describe('deliverDue', () => {
  it('relays each recipient once, byte for byte, and records DELIVERED with the reply', async () => {
    const sink = await sinkWith();
    const w = await world(sink.port);
    const raw = rawMessage('exact bytes');
    const [a, b] = await w.enqueue(['a@example.test', 'b@example.test'], raw, 3);

    const report = await deliverDue(w.runtime, w.region);
    expect(report).toMatchObject({ claimed: 2, delivered: 2, drained: true });

    const record = await sink.record();
    const sent = record.transactions.map((t) => [t.mailFrom, t.rcptTo, t.raw]);
    expect(sent.sort()).toEqual([
      ['noreply@example.test', ['a@example.test'], raw],
      ['noreply@example.test', ['b@example.test'], raw],
    ]);
    expect(record.connections).toBeLessThanOrEqual(MAX_RELAY_CONNECTIONS);
    for (const id of [a!, b!]) {
      expect(await w.row(id)).toMatchObject({
        state: 'DELIVERED',
        attempts: 1,
        lastCode: 250,
        lastEnhanced: '2.0.0',
        lastDetail: '250 2.0.0 Ok: queued',
        leaseOwner: null,
        leaseUntil: null,
        nextAttemptAt: null,
        timeFinal: w.runtime.clock.now().getTime(),
      });
    }
    const logs = w.runtime.logger.entries.filter((e) => e.event === 'relayed');
    expect(logs.map((e) => e.fields)).toContainEqual(
      expect.objectContaining({
        action: 'relayed',
        region: 'us-phoenix-1',
        recipient: 'a@example.test',
        sender: 'noreply@example.test',
        smtpStatus: '250 2.0.0 Ok: queued',
        messageId: expect.stringMatching(/@example\.test$/),
        errorType: undefined,
      }),
    );
    expect(JSON.stringify(logs)).not.toContain('Café');
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ claimed: 0 });
  });

  it('retries a 451 on the schedule and delivers once the relay accepts, exactly once', async () => {
    const sink = await sinkWith({
      'grey@example.test': { at: 'rcpt', reply: 451, text: '4.7.1 Greylisted' },
    });
    const w = await world(sink.port);
    const [id] = await w.enqueue(['grey@example.test']);
    const start = w.runtime.clock.now().getTime();

    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ retrying: 1 });
    expect(await w.row(id!)).toMatchObject({
      state: 'QUEUED',
      attempts: 1,
      lastCode: 451,
      lastEnhanced: '4.7.1',
      nextAttemptAt: start + RETRY_INTERVALS_MS[0]!,
      leaseOwner: null,
    });
    const warned = w.runtime.logger.entries.find((e) => e.event === 'relayed');
    expect(warned?.fields).toMatchObject({
      errorType: 'Transient failure',
      smtpStatus: '451 4.7.1 Greylisted',
    });

    w.runtime.clock.advance(RETRY_INTERVALS_MS[0]! - 1);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ claimed: 0 });
    w.runtime.clock.advance(1);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ retrying: 1 });
    expect(await w.row(id!)).toMatchObject({
      attempts: 2,
      nextAttemptAt: start + RETRY_INTERVALS_MS[0]! + RETRY_INTERVALS_MS[1]!,
    });

    delete sink.script['grey@example.test'];
    w.runtime.clock.advance(RETRY_INTERVALS_MS[1]!);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ delivered: 1 });
    expect(await w.row(id!)).toMatchObject({ state: 'DELIVERED', attempts: 3, lastCode: 250 });
    expect(await received(sink, 'grey@example.test')).toHaveLength(1);

    w.runtime.clock.advance(4 * 60 * MINUTE);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ claimed: 0 });
    expect(await received(sink, 'grey@example.test')).toHaveLength(1);
  });

  it('fails a 550 at once and never tries it again', async () => {
    const sink = await sinkWith({
      'gone@example.test': { at: 'rcpt', reply: 550, text: '5.1.1 No such user' },
    });
    const w = await world(sink.port);
    const [id] = await w.enqueue(['gone@example.test']);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ failed: 1 });
    expect(await w.row(id!)).toMatchObject({
      state: 'FAILED',
      attempts: 1,
      lastCode: 550,
      lastEnhanced: '5.1.1',
      lastDetail: '550 5.1.1 No such user',
      timeFinal: w.runtime.clock.now().getTime(),
    });
    w.runtime.clock.advance(GIVE_UP_AFTER_MS);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ claimed: 0 });
    const log = w.runtime.logger.entries.find((e) => e.event === 'relayed');
    expect(log?.fields).toMatchObject({ errorType: 'Permanent failure', state: 'FAILED' });
  });

  it('expires a recipient that answers 4xx forever, at the give-up time, after the scheduled attempts', async () => {
    const sink = await sinkWith({
      'full@example.test': { at: 'data', reply: 452, text: '4.2.2 Mailbox full' },
    });
    const w = await world(sink.port);
    const [id] = await w.enqueue(['full@example.test']);
    const start = w.runtime.clock.now().getTime();
    const giveUp = start + GIVE_UP_AFTER_MS;

    const expectedTimes = [start];
    for (let failures = 1; expectedTimes.at(-1)! < giveUp; failures++) {
      const wait = RETRY_INTERVALS_MS[failures - 1] ?? RETRY_INTERVALS_MS.at(-1)!;
      expectedTimes.push(Math.min(expectedTimes.at(-1)! + wait, giveUp));
    }

    const attemptedAt: number[] = [];
    for (let row = await w.row(id!); row.state === 'QUEUED'; row = await w.row(id!)) {
      w.runtime.clock.set(new Date(row.nextAttemptAt!));
      attemptedAt.push(row.nextAttemptAt!);
      await deliverDue(w.runtime, w.region);
    }
    expect(attemptedAt).toEqual(expectedTimes);
    expect(await w.row(id!)).toMatchObject({
      state: 'EXPIRED',
      attempts: expectedTimes.length,
      lastCode: 452,
      lastEnhanced: '4.2.2',
      timeFinal: giveUp,
    });
    expect((await sink.record()).transactions).toHaveLength(0);
    // Each retry wrote a DEFERRED event with its reply; the last attempt, at the give-up time, EXPIRED.
    const events = await eventsOf(w);
    expect(events.map((e) => e.eventType)).toEqual([
      ...expectedTimes.slice(1).map(() => 'DEFERRED'),
      'EXPIRED',
    ]);
    expect(events.map((e) => e.attempt)).toEqual(expectedTimes.map((_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ smtpCode: 452, enhancedCode: '4.2.2', timeCreated: giveUp });
  });

  it('keeps retrying while the relay is down and delivers each recipient once when it returns', async () => {
    const port = await closedPort();
    const w = await world(port);
    const recipients = ['d1@example.test', 'd2@example.test', 'd3@example.test'];
    await w.enqueue(recipients);

    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ retrying: 3 });
    w.runtime.clock.advance(RETRY_INTERVALS_MS[0]!);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ retrying: 3 });
    const down = await w.rows();
    expect(down.every((row) => row.state === 'QUEUED' && row.attempts === 2 && row.lastCode === null)).toBe(
      true,
    );
    expect(down[0]?.lastDetail).toMatch(/no reply from the relay/);
    expect(w.runtime.logger.entries.at(-1)?.fields).toMatchObject({
      errorType: 'Transient failure',
      smtpStatus: undefined,
    });

    const sink = await sinkWith({}, port);
    w.runtime.clock.advance(RETRY_INTERVALS_MS[1]!);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ delivered: 3 });
    const record = await sink.record();
    expect(record.transactions.map((t) => t.rcptTo[0]).sort()).toEqual(recipients);
    expect((await w.rows()).map((row) => row.state)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
  });

  it('reclaims a row whose lease expired and refuses the late completion of its old owner', async () => {
    const sink = await sinkWith();
    const w = await world(sink.port);
    const [id] = await w.enqueue(['lease@example.test']);
    const queue = w.region.store.deliveries;
    const now = w.runtime.clock.now();
    const crashed = await queue.claimDue('crashed-worker', now, new Date(now.getTime() + 10 * MINUTE), 10);
    expect(crashed.map((row) => row.id)).toEqual([id]);

    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ claimed: 0 });
    w.runtime.clock.advance(10 * MINUTE);
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ claimed: 1, delivered: 1 });

    const late = await queue.complete('crashed-worker', [
      {
        id: id!,
        submissionId: crashed[0]!.submissionId,
        event: undefined,
        decision: { state: 'FAILED' },
        attempted: true,
        code: 550,
        enhanced: '5.0.0',
        detail: 'late',
        at: w.runtime.clock.now(),
      },
    ]);
    expect(late.size).toBe(0);
    expect(await w.row(id!)).toMatchObject({ state: 'DELIVERED', attempts: 1 });
    expect(await received(sink, 'lease@example.test')).toHaveLength(1);
  });

  it('records an accepted copy while a send beside it stalls, so a crash then would not send it again', async () => {
    const sink = await sinkWith({ 'stalled@example.test': { at: 'data', action: 'stall' } });
    const w = await world(sink.port);
    const [stalled, accepted] = await w.enqueue(['stalled@example.test', 'accepted@example.test']);

    const run = deliverDue(w.runtime, w.region);
    // The stalled send holds the batch for the relay's 2 s reply timeout; the accepted copy is written long before.
    await expect
      .poll(() => w.row(accepted!), { timeout: 1_500, interval: 50 })
      .toMatchObject({ state: 'DELIVERED' });
    expect(await w.row(stalled!)).toMatchObject({
      state: 'QUEUED',
      attempts: 0,
      leaseOwner: expect.any(String),
    });

    expect(await run).toMatchObject({ claimed: 2, delivered: 1, retrying: 1 });
    expect(await w.row(stalled!)).toMatchObject({ state: 'QUEUED', attempts: 1, leaseOwner: null });
  });
  it('never sends one row twice with two workers on one database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'delivery-two-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const url = `file:${join(dir, 'region.db')}`;
    const sink = await sinkWith();
    const first = await world(sink.port, { url });
    const second = await world(sink.port, { url });
    second.runtime.ids = sequentialIds(1_000_000_000);
    const recipients = Array.from({ length: 120 }, (_, i) => `r${i}@example.test`);
    await first.enqueue(recipients);

    const limits = { batchSize: 7 };
    const reports = await Promise.all([
      deliverDue(first.runtime, first.region, { limits }),
      deliverDue(second.runtime, second.region, { limits }),
    ]);
    expect(reports.every((report) => report.claimed > 0)).toBe(true);
    const [one, two] = reports;
    expect(one.delivered + two.delivered).toBe(recipients.length);
    expect(one.leaseLost + two.leaseLost).toBe(0);
    const sent = (await sink.record()).transactions.map((t) => t.rcptTo[0]);
    expect(sent).toHaveLength(recipients.length);
    expect(new Set(sent).size).toBe(recipients.length);
    expect((await first.rows()).every((row) => row.state === 'DELIVERED' && row.attempts === 1)).toBe(true);
  });

  it('marks a recipient suppressed since acceptance SUPPRESSED without relaying it', async () => {
    const sink = await sinkWith();
    const w = await world(sink.port);
    const [id] = await w.enqueue(['Blocked@Example.test']);
    await w.region.store.forTenancy(TENANCY).suppressions.insertIfAbsent({
      id: 'ocid1.emailsuppression.oc1.us-phoenix-1.x',
      emailAddress: 'blocked@example.test',
      reason: 'MANUAL',
      errorDetail: null,
      errorSource: null,
      messageId: null,
      timeCreated: w.runtime.clock.now(),
      timeLastSuppressed: w.runtime.clock.now(),
    });
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ suppressed: 1 });
    expect(await w.row(id!)).toMatchObject({ state: 'SUPPRESSED', attempts: 0 });
    expect((await sink.record()).transactions).toHaveLength(0);
    expect(await eventsOf(w)).toEqual([
      expect.objectContaining({ eventType: 'SUPPRESSED', errorType: 'Recipient suppressed', attempt: null }),
    ]);
  });

  it('claims nothing once stopped, and released rows are claimable at once', async () => {
    const sink = await sinkWith();
    const w = await world(sink.port);
    await w.enqueue(['s1@example.test', 's2@example.test']);
    const stop = new AbortController();
    stop.abort();
    const queue = w.region.store.deliveries;
    const now = w.runtime.clock.now();
    // A run that was told to stop right after claiming.
    const rows = await queue.claimDue('stopping', now, new Date(now.getTime() + MINUTE), 10);
    await queue.release(
      rows.map((row) => row.id),
      'stopping',
    );
    expect(await deliverDue(w.runtime, w.region, { signal: stop.signal })).toMatchObject({ claimed: 0 });
    expect(await deliverDue(w.runtime, w.region)).toMatchObject({ delivered: 2 });
  });
});
