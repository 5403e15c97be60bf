import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openLibsql } from '../src/platform/libsql';
import type { Principal } from '../src/crypto/request-signature';
import {
  approveSender,
  bootstrappedDataDir,
  percentile,
  REGION,
  removeDir,
  runLoad,
  signedPosts,
  startNodeEntry,
  submitBody,
  SUBMIT_PATH,
  type Entry,
  type PreparedRequest,
} from './support';

const SUBMITS = 400;
const WARMUP = 50;
const RECIPIENTS = 50;
const SUPPRESSED_PER_SUBMIT = 5;
const SENDER = 'latency@example.com';

/** Fills the region's suppression list with `count` rows in one recursive INSERT ... SELECT. */
async function seedSuppressions(dataDir: string, tenancyId: string, count: number): Promise<void> {
  mkdirSync(join(dataDir, 'regions'), { recursive: true });
  const { client } = await openLibsql({ url: `file:${join(dataDir, 'regions', `${REGION}.db`)}` });
  try {
    const now = Date.now();
    await client.execute({
      sql: `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            INSERT INTO suppressions (id, tenancy_id, email_address, reason, time_created, time_last_suppressed)
            SELECT 'ocid1.emailsuppression.oc1.bench.' || i, ?, 'user' || i || '@suppressed.example', 'MANUAL', ?, ?
            FROM n`,
      args: [count - 1, tenancyId, now, now],
    });
  } finally {
    client.close();
  }
}

interface Target {
  entry: Entry;
  dataDir: string;
  requests: PreparedRequest[];
}

/** A Node entry whose region holds `count` suppressions, its sender approved and its submits signed. */
async function targetWith(count: number): Promise<Target> {
  const { dataDir, admin } = await bootstrappedDataDir();
  await seedSuppressions(dataDir, admin.tenancyId, count);
  const entry = await startNodeEntry(dataDir);
  await approveSender(entry, admin, SENDER);
  const requests = await signedPosts(admin, entry.url, SUBMIT_PATH, bodies(admin, count));
  return { entry, dataDir, requests };
}

/** Sequential submits sent to each target in turn, so the machine's noise falls on both alike. */
async function interleavedLatencies(targets: Target[]): Promise<number[][]> {
  const latencies = targets.map(() => [] as number[]);
  for (let n = 0; n < WARMUP + SUBMITS; n++) {
    for (const [i, target] of targets.entries()) {
      const request = target.requests[n];
      if (!request) continue;
      const result = await runLoad(target.entry.url, [request], 1);
      if (result.failures > 0) throw new Error(`a submit failed: ${result.firstFailure ?? ''}`);
      if (n >= WARMUP) latencies[i]?.push(...result.latenciesMs);
    }
  }
  return latencies;
}

function bodies(admin: Principal, count: number): string[] {
  return Array.from({ length: WARMUP + SUBMITS }, (_, n) => {
    const recipients = Array.from({ length: RECIPIENTS }, (_, r) =>
      r < SUPPRESSED_PER_SUBMIT
        ? `user${String((n * 7919 + r * 104_729) % count)}@suppressed.example`
        : `r${String(r)}-${String(n)}@email-blackhole.com`,
    );
    return submitBody(admin.tenancyId, SENDER, recipients, n);
  });
}

export async function suppressionLatency(): Promise<void> {
  const targets = [await targetWith(1_000), await targetWith(1_000_000)];
  try {
    const [small = [], large = []] = await interleavedLatencies(targets);
    const [smallP50, largeP50] = [percentile(small, 50), percentile(large, 50)];
    console.log(`submit p50 (50 recipients) with 1,000 suppressions: ${smallP50.toFixed(2)} ms`);
    console.log(`submit p50 (50 recipients) with 1,000,000 suppressions: ${largeP50.toFixed(2)} ms`);
    console.log(`ratio 1M / 1k: ${(largeP50 / smallP50).toFixed(3)} (target <= 1.2)`);
  } finally {
    for (const target of targets) {
      await target.entry.stop();
      removeDir(target.dataDir);
    }
  }
}
