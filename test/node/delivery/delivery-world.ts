import { eq } from 'drizzle-orm';
import { regionCatalog } from '../../../src/config/region-catalog';
import { GIVE_UP_AFTER_MS } from '../../../src/domain/delivery/retry-schedule';
import { createRegions } from '../../../src/domain/regions';
import type { RegionHandle, Relay } from '../../../src/domain/ports';
import { openLibsql, type LibsqlDatabase } from '../../../src/platform/libsql';
import { createNodemailerRelay } from '../../../src/relay/nodemailer-relay';
import type { Database } from '../../../src/store/database';
import { createRegionStore } from '../../../src/store/region/region-store';
import { deliveries, submissionParts, submissions } from '../../../src/store/schema';
import { fixedRuntime } from '../../support/fixed-runtime';
import { startSink, TEST_CA } from '../../support/smtp-sink';
import type { Sink, SinkOptions } from '../../support/smtp-sink-protocol';

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaadeliverytenancy';
export const SENDER = 'noreply@example.test';
export const PHX = regionCatalog.find((region) => region.id === 'us-phoenix-1')!;
const TEST_TIMEOUTS = { connectMs: 2_000, greetingMs: 2_000, replyMs: 2_000 };

/** A message with CRLF lines, a leading-dot line and no Bcc, as the submission API stores it. */
export function rawMessage(subject: string): string {
  return [
    `From: Sender <${SENDER}>`,
    'To: Someone <someone@example.test>',
    `Subject: ${subject}`,
    'Date: Fri, 02 Jan 2026 03:04:05 +0000',
    `Message-ID: <${subject.replace(/\W/g, '')}@example.test>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Café au lait.',
    '.a line that starts with a dot',
    '',
  ].join('\r\n');
}

export type DeliveryRow = typeof deliveries.$inferSelect;

/** One region with its own libSQL database and a nodemailer relay to `endpoint`, on a manual clock. */
export interface DeliveryWorld {
  runtime: ReturnType<typeof fixedRuntime>;
  database: LibsqlDatabase;
  region: RegionHandle;
  relay: Relay;
  /** Writes a submission, its parts in `slices` pieces, and one QUEUED row per recipient due now. */
  enqueue(recipients: readonly string[], raw?: string, slices?: number): Promise<string[]>;
  row(id: string): Promise<DeliveryRow>;
  rows(): Promise<DeliveryRow[]>;
  close(): Promise<void>;
}

let serial = 0;

export async function enqueueInto(
  db: Database,
  now: Date,
  recipients: readonly string[],
  raw: string,
  slices = 1,
  tenancyId = TENANCY,
): Promise<string[]> {
  serial += 1;
  const submissionId = `sub-${serial}-${now.getTime()}`;
  const messageId = `msg-${serial}@example.test`;
  const at = now.getTime();
  const size = Math.ceil(raw.length / slices);
  const parts = Array.from({ length: slices }, (_, seq) => ({
    submissionId,
    seq,
    data: raw.slice(seq * size, (seq + 1) * size),
  }));
  const rows = recipients.map((recipient, index) => ({
    id: `${submissionId}-r${index}`,
    submissionId,
    tenancyId,
    messageId,
    sender: SENDER,
    recipient,
    state: 'QUEUED',
    nextAttemptAt: at,
    giveUpAt: at + GIVE_UP_AFTER_MS,
    timeCreated: at,
    timeUpdated: at,
  }));
  const batching = db as Database & { batch(items: unknown[]): Promise<unknown> };
  await batching.batch([
    db.insert(submissions).values({
      id: submissionId,
      tenancyId,
      contentHash: `hash-${submissionId}`,
      messageId,
      sender: SENDER,
      compartmentId: tenancyId,
      response: {},
      sizeBytes: raw.length,
      timeCreated: at,
    }),
    // Reversed, so only ORDER BY seq puts them back together.
    db.insert(submissionParts).values([...parts].reverse()),
    db.insert(deliveries).values(rows),
  ]);
  return rows.map((row) => row.id);
}

export async function createDeliveryWorld(
  endpoint: { port: number },
  options: { url?: string; maxConnections?: number } = {},
): Promise<DeliveryWorld> {
  const runtime = fixedRuntime();
  const database = await openLibsql({ url: options.url ?? ':memory:' });
  const relay = createNodemailerRelay({
    endpoint: { host: '127.0.0.1', port: endpoint.port, tls: 'implicit', auth: undefined },
    ca: TEST_CA,
    timeouts: TEST_TIMEOUTS,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  });
  // Opened as the entries open a region, so the region's relay answers email-blackhole.com as theirs do.
  const store = createRegionStore(database);
  const region = await createRegions(
    [PHX],
    [PHX.id],
    () => store,
    () => relay,
  ).open(PHX.id);
  const { db } = database;
  return {
    runtime,
    database,
    region,
    relay,
    enqueue: (recipients, raw = rawMessage('hello'), slices = 1) =>
      enqueueInto(db, runtime.clock.now(), recipients, raw, slices),
    async row(id) {
      const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
      if (!row) throw new Error(`no delivery ${id}`);
      return row;
    },
    rows: () => db.select().from(deliveries).orderBy(deliveries.id),
    async close() {
      await relay.close();
      database.client.close();
    },
  };
}

/** A TLS sink on 127.0.0.1 whose per-recipient script the test may change between runs. */
export async function scriptedSink(
  script: NonNullable<SinkOptions['script']> = {},
  port?: number,
): Promise<Sink & { script: NonNullable<SinkOptions['script']> }> {
  // The sink reads its script on every command, so changing this object changes its answers.
  const sink = await startSink({ tls: 'implicit', script, ...(port ? { port } : {}) });
  return Object.assign(sink, { script });
}
