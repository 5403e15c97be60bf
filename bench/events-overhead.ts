import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptanceEvents } from '../src/domain/events/record';
import type { Acceptance, NewDelivery } from '../src/domain/submission/ports';
import { NODE_COALESCING, openLibsql } from '../src/platform/libsql';
import { systemRuntime } from '../src/platform/system';
import { createRegionStore } from '../src/store/region/region-store';
import {
  approveSender,
  bootstrappedDataDir,
  measuredLoad,
  REGION,
  removeDir,
  signedJson,
  signedPosts,
  spawnEntry,
  startNodeEntry,
  SUBMIT_PATH,
  submitBody,
} from './support';

const CONCURRENCY = 50;
const WARMUP = 500;
const MEASURED = 4_000;
const ROUNDS = 3;
const SENDER = 'bench@example.com';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaabenchevents';

const EVENTS_PER_SUBMIT = 2; // ACCEPTED and RELAYED: a blackhole recipient is relayed at once
const DRAIN_TIMEOUT_MS = 120_000;

const receivedBy = async (receiverUrl: string): Promise<number> =>
  ((await (await fetch(`${receiverUrl}/count`)).json()) as { received: number }).received;

interface EntryRun {
  rate: number;
  /** Subscribed: the seconds from the end of the load until every event of the run was posted. */
  drainSeconds?: number;
}

/**
 * Accepted submits per second on a fresh Node entry: with the event log and one webhook subscription
 * posting to `receiverUrl`, or with EVENT_LOG=off and no subscription. Subscribed, the entry runs on
 * until the receiver has every event: posts wait while the process is saturated, none is dropped.
 */
async function entrySubmits(receiverUrl: string | undefined): Promise<EntryRun> {
  const { dataDir, admin } = await bootstrappedDataDir();
  const entry = await startNodeEntry(dataDir, receiverUrl ? {} : { EVENT_LOG: 'off' });
  try {
    await approveSender(entry, admin, SENDER);
    if (receiverUrl) {
      const created = await signedJson(admin, entry.url, `/${REGION}/20170907/webhookSubscriptions`, {
        compartmentId: admin.tenancyId,
        url: receiverUrl,
        eventTypes: ['ACCEPTED', 'RELAYED', 'DEFERRED', 'BOUNCED', 'EXPIRED', 'SUPPRESSED'],
      });
      if (created.status !== 200)
        throw new Error(`createWebhookSubscription answered ${String(created.status)}`);
    }
    const bodies = Array.from({ length: WARMUP + MEASURED }, (_, i) =>
      submitBody(admin.tenancyId, SENDER, [`load-${String(i)}@email-blackhole.com`], i),
    );
    const requests = await signedPosts(admin, entry.url, SUBMIT_PATH, bodies, (i) => ({
      'opc-request-id': `EVENTS${String(i).padStart(8, '0')}`,
    }));
    const before = receiverUrl ? await receivedBy(receiverUrl) : 0;
    const load = await measuredLoad(entry.url, requests, WARMUP, CONCURRENCY, () => [entry.pid]);
    if (load.failures > 0)
      throw new Error(`${String(load.failures)} submits failed: ${load.firstFailure ?? ''}`);
    if (!receiverUrl) return { rate: load.rate };
    const loaded = performance.now();
    const expected = before + requests.length * EVENTS_PER_SUBMIT;
    while ((await receivedBy(receiverUrl)) < expected) {
      if (performance.now() - loaded > DRAIN_TIMEOUT_MS) throw new Error('webhooks did not all arrive');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { rate: load.rate, drainSeconds: (performance.now() - loaded) / 1_000 };
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}

/** Acceptances per second through the region store's group commit, with or without their events. */
async function storeAcceptances(withEvents: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  const database = await openLibsql({ url: `file:${join(dir, 'region.db')}` });
  const store = createRegionStore(database, { coalescing: NODE_COALESCING }).forTenancy(TENANCY);
  const { ids } = systemRuntime();
  const acceptance = (i: number): Acceptance => {
    const now = new Date();
    const messageId = `m${String(i)}@example.test`;
    const deliveries: NewDelivery[] = [
      {
        id: ids.ordered(32),
        recipient: `r${String(i)}@example.net`,
        state: 'QUEUED',
        nextAttemptAt: now,
        giveUpAt: new Date(now.getTime() + 3_600_000),
        lastDetail: null,
        timeFinal: null,
      },
    ];
    const sent = { compartmentId: TENANCY, messageId, sender: SENDER };
    return {
      submission: {
        id: ids.ordered(32),
        requestKey: null,
        contentHash: messageId,
        messageId,
        sender: SENDER,
        compartmentId: TENANCY,
        response: {},
        timeCreated: now,
        sizeBytes: 100,
      },
      message: [`Subject: ${messageId}\r\n\r\nHello.\r\n`],
      deliveries,
      quota: [],
      suppressedHit: [],
      events: withEvents ? acceptanceEvents(ids, sent, deliveries, now) : [],
    };
  };
  try {
    let next = 0;
    const run = async (count: number) => {
      const end = next + count;
      const lanes = Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < end; i = next++) await store.submissions.accept(acceptance(i), new Date());
      });
      await Promise.all(lanes);
      next = end;
    };
    await run(WARMUP);
    const started = performance.now();
    await run(MEASURED);
    return (MEASURED / (performance.now() - started)) * 1_000;
  } finally {
    database.client.close();
    removeDir(dir);
  }
}

const best = (values: number[]) => Math.max(...values);

/**
 * What the event log and webhooks cost the submit path: the whole Node entry with events and one webhook
 * subscription against EVENT_LOG=off, and, for the detail, the acceptance write alone with and without
 * its events (through the same group commit).
 */
export async function eventsOverhead(): Promise<void> {
  const withEvents: number[] = [];
  const withoutEvents: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    withoutEvents.push(await storeAcceptances(false));
    withEvents.push(await storeAcceptances(true));
  }
  const storeRatio = best(withEvents) / best(withoutEvents);
  console.log(
    `acceptance writes alone: ${best(withEvents).toFixed(0)}/s with events, ${best(withoutEvents).toFixed(0)}/s without (ratio ${storeRatio.toFixed(3)})`,
  );

  const receiver = await spawnEntry(
    'bench/servers/webhook-receiver.ts',
    {},
    /listening on (http:\/\/[^\s]+)/,
  );
  try {
    const subscribed: EntryRun[] = [];
    const plain: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plain.push((await entrySubmits(undefined)).rate);
      subscribed.push(await entrySubmits(receiver.url));
    }
    const rates = subscribed.map((run) => run.rate);
    const drains = subscribed.map((run) => (run.drainSeconds ?? 0).toFixed(1)).join(' s, ');
    const ratio = best(rates) / best(plain);
    console.log(
      `Node entry: ${best(rates).toFixed(0)} submits/s with events and one webhook subscription, ${best(plain).toFixed(0)}/s with EVENT_LOG=off`,
    );
    console.log(
      `webhooks: all ${String(await receivedBy(receiver.url))} posted, the last ${drains} s after the load ended`,
    );
    console.log(`ratio events and one webhook subscription on / off: ${ratio.toFixed(3)} (target >= 0.9)`);
  } finally {
    await receiver.stop();
  }
}
