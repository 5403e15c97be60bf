import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { toBase64 } from '../src/crypto/base64';
import { generateDkimKey } from '../src/crypto/dkim-keys';
import { secretBox } from '../src/crypto/secret-box';
import { deliverDue } from '../src/domain/delivery/deliver-due';
import { authenticateCopies } from '../src/domain/email-domains/authenticate-copy';
import type { WorkRequest } from '../src/domain/email-domains/ports';
import { DELIVERY_LIMITS } from '../src/domain/delivery/run';
import { acceptanceEvents } from '../src/domain/events/record';
import type { RegionHandle } from '../src/domain/ports';
import type { NewDelivery } from '../src/domain/submission/ports';
import { createRegions } from '../src/domain/regions';
import { regionCatalog } from '../src/config/region-catalog';
import { openLibsql } from '../src/platform/libsql';
import { jsonLogger, systemRuntime } from '../src/platform/system';
import { createNodemailerRelay } from '../src/relay/nodemailer-relay';
import { MAX_MESSAGES_PER_CONNECTION, MAX_RELAY_CONNECTIONS } from '../src/relay/relay-limits';
import { createRegionStore } from '../src/store/region/region-store';
import { startSinkProcess } from './support/sink-process';

const MESSAGES = 3_000;
const WARM_UP = 200;
const MESSAGE_BYTES = 2_048;
const TARGET_RATIO = 0.8;
const PHX = regionCatalog.find((region) => region.id === 'us-phoenix-1')!.id;
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaabenchrelay';

interface SinkAddress {
  port: number;
  ca: string;
}

function message(i: number): string {
  const head = `From: <bench@example.test>\r\nTo: <r${i}@example.test>\r\nSubject: bench ${i}\r\n\r\n`;
  return (
    head +
    'x'
      .repeat(76)
      .concat('\r\n')
      .repeat(Math.ceil((MESSAGE_BYTES - head.length) / 78))
  );
}

async function inParallel(count: number, lanes: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

/** nodemailer pooled straight to the sink, as many in flight as deliverDue keeps. */
async function direct({ port, ca }: SinkAddress, count: number): Promise<number> {
  const transport = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port,
    secure: true,
    tls: { ca, minVersion: 'TLSv1.2' },
    maxConnections: MAX_RELAY_CONNECTIONS,
    maxMessages: MAX_MESSAGES_PER_CONNECTION,
  });
  const bodies = Array.from({ length: count }, (_, i) => message(i));
  const started = performance.now();
  await inParallel(count, DELIVERY_LIMITS.concurrency, async (i) => {
    await transport.sendMail({
      envelope: { from: 'bench@example.test', to: [`r${i}@example.test`] },
      raw: bodies[i]!,
    });
  });
  const seconds = (performance.now() - started) / 1_000;
  transport.close();
  return count / seconds;
}

/** Queues one submission of one recipient through the store's own write path, as an accepted submit does. */
async function enqueue(region: RegionHandle, now: Date, i: number): Promise<void> {
  const id = `bench${String(i).padStart(6, '0')}`;
  const raw = message(i);
  const messageId = `${id}@example.test`;
  const sender = 'bench@example.test';
  const deliveries: NewDelivery[] = [
    {
      id: `${id}r`,
      recipient: `r${i}@example.test`,
      state: 'QUEUED',
      nextAttemptAt: now,
      giveUpAt: new Date(now.getTime() + 3_600_000),
      lastDetail: null,
      timeFinal: null,
    },
  ];
  const sent = { compartmentId: TENANCY, messageId, sender };
  const outcome = await region.store.forTenancy(TENANCY).submissions.accept(
    {
      submission: {
        id,
        requestKey: null,
        contentHash: id,
        messageId,
        sender,
        compartmentId: TENANCY,
        response: {},
        timeCreated: now,
        sizeBytes: raw.length,
      },
      message: [raw],
      deliveries,
      quota: [],
      suppressedHit: [],
      events: acceptanceEvents(systemRuntime().ids, sent, deliveries, now),
    },
    now,
  );
  if (outcome !== 'accepted') throw new Error(`queueing ${id}: ${outcome}`);
}

const SIGNING_TARGET_RATIO = 0.85;
const BENCH_SECRETS_KEY = 'a-benchmark-secrets-key-of-32-characters';

/** An email domain for the messages' From domain with an ACTIVE DKIM, as the check job leaves it. */
async function signingDomain(region: RegionHandle, now: Date): Promise<void> {
  const repository = region.store.forTenancy(TENANCY).emailDomains;
  const ids = systemRuntime().ids;
  const work = (): WorkRequest => ({
    id: ids.random(20),
    compartmentId: TENANCY,
    operationType: 'CREATE_DKIM',
    status: 'SUCCEEDED',
    resources: [],
    percentComplete: 100,
    timeAccepted: now,
    timeStarted: now,
    timeFinished: now,
    logs: [],
    errors: [],
  });
  const common = {
    compartmentId: TENANCY,
    description: null,
    freeformTags: {},
    definedTags: {},
    etag: 'e',
    timeCreated: now,
    timeUpdated: now,
  };
  const domain = await repository.insertDomain(
    {
      ...common,
      id: 'bench-domain',
      name: 'example.test',
      lifecycleState: 'ACTIVE',
      activeDkimId: null,
      isSpf: true,
      domainVerificationId: null,
      locks: [],
    },
    work(),
  );
  if (domain === 'duplicate') throw new Error('the bench domain exists');
  const key = await generateDkimKey();
  const inserted = await repository.insertDkim(
    {
      ...common,
      id: 'bench-dkim',
      emailDomainId: domain.id,
      domainName: domain.name,
      name: 'bench-phx-1',
      lifecycleState: 'ACTIVE',
      lifecycleDetails: null,
      isImported: false,
      keyLength: key.keyLength,
      publicKey: key.publicKeySpkiBase64,
      sealedPrivateKey: await secretBox(BENCH_SECRETS_KEY).seal(toBase64(key.privateKeyPkcs8)),
      timeActivated: now,
      nextCheckAt: null,
    },
    work(),
  );
  if (inserted === 'duplicate') throw new Error('the bench key exists');
}

/** The same messages queued in a libSQL file (WAL), one submission each, delivered by deliverDue. */
async function throughDeliverDue({ port, ca }: SinkAddress, count: number, signed = false): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-relay-'));
  const database = await openLibsql({ url: `file:${join(dir, 'region.db')}` });
  const relay = createNodemailerRelay({
    endpoint: { host: '127.0.0.1', port, tls: 'implicit', auth: undefined },
    ca,
  });
  const store = createRegionStore(database);
  const region = await createRegions(
    regionCatalog,
    [PHX],
    () => store,
    () => relay,
  ).open(PHX);
  // Log lines are built and serialized as in production, then dropped.
  const runtime = systemRuntime(jsonLogger(() => undefined));
  const now = new Date();
  for (let i = 0; i < count; i++) await enqueue(region, now, i);
  if (signed) await signingDomain(region, now);
  const hooks = signed
    ? {
        transformCopy: authenticateCopies(runtime, {
          keys: secretBox(BENCH_SECRETS_KEY),
          returnPaths: undefined,
        }),
      }
    : {};
  const started = performance.now();
  let delivered = 0;
  for (;;) {
    const report = await deliverDue(runtime, region, { hooks });
    delivered += report.delivered;
    if (report.drained) break;
  }
  const seconds = (performance.now() - started) / 1_000;
  await relay.close();
  database.client.close();
  rmSync(dir, { recursive: true, force: true });
  if (delivered !== count) throw new Error(`delivered ${delivered} of ${count}`);
  return count / seconds;
}

/** Recipients delivered per second through deliverDue against nodemailer alone, in one run. */
export async function relayThroughput(): Promise<void> {
  const sink = await startSinkProcess();
  try {
    await direct(sink, WARM_UP);
    await throughDeliverDue(sink, WARM_UP);
    const baseline = await direct(sink, MESSAGES);
    const delivered = await throughDeliverDue(sink, MESSAGES);
    const ratio = delivered / baseline;
    console.log(
      `relay-throughput: ${MESSAGES} x ${MESSAGE_BYTES} B to a local TLS sink (own process), ${MAX_RELAY_CONNECTIONS} connections\n` +
        `  nodemailer pooled, direct:        ${baseline.toFixed(0)} msg/s\n` +
        `  deliverDue (libSQL file + relay): ${delivered.toFixed(0)} recipients/s\n` +
        `  ratio ${ratio.toFixed(2)} (target >= ${TARGET_RATIO})${ratio >= TARGET_RATIO ? '' : '  BELOW TARGET'}`,
    );
  } finally {
    await sink.close();
  }
}

/** Recipients delivered per second with each copy DKIM-signed against the same run unsigned. */
export async function signingOverhead(): Promise<void> {
  const sink = await startSinkProcess();
  try {
    await throughDeliverDue(sink, WARM_UP);
    await throughDeliverDue(sink, WARM_UP, true);
    const unsigned = await throughDeliverDue(sink, MESSAGES);
    const signed = await throughDeliverDue(sink, MESSAGES, true);
    const ratio = signed / unsigned;
    console.log(
      `dkim-signing: ${MESSAGES} x ${MESSAGE_BYTES} B through deliverDue to a local TLS sink\n` +
        `  unsigned:                 ${unsigned.toFixed(0)} recipients/s\n` +
        `  signed (rsa-sha256 2048): ${signed.toFixed(0)} recipients/s\n` +
        `  ratio ${ratio.toFixed(2)} (target >= ${SIGNING_TARGET_RATIO})${ratio >= SIGNING_TARGET_RATIO ? '' : '  BELOW TARGET'}`,
    );
  } finally {
    await sink.close();
  }
}
