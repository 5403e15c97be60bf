import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openLibsql } from '../src/platform/libsql';
import type { Principal } from '../test/support/request-signer';
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

/** p50 of sequential submits of 50 recipients (5 of them suppressed) with `count` suppressions in the region. */
async function p50With(count: number): Promise<number> {
  const { dataDir, admin } = await bootstrappedDataDir();
  await seedSuppressions(dataDir, admin.tenancyId, count);
  const entry = await startNodeEntry(dataDir);
  try {
    await approveSender(entry, admin, SENDER);
    const requests = await signedPosts(admin, entry.url, SUBMIT_PATH, bodies(admin, count));
    await runLoad(entry.url, requests.slice(0, WARMUP), 1);
    const result = await runLoad(entry.url, requests.slice(WARMUP), 1);
    if (result.failures > 0)
      throw new Error(`${String(result.failures)} submits failed: ${result.firstFailure ?? ''}`);
    return percentile(result.latenciesMs, 50);
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
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
  const small = await p50With(1_000);
  const large = await p50With(1_000_000);
  console.log(`submit p50 (50 recipients) with 1,000 suppressions: ${small.toFixed(2)} ms`);
  console.log(`submit p50 (50 recipients) with 1,000,000 suppressions: ${large.toFixed(2)} ms`);
  console.log(`ratio 1M / 1k: ${(large / small).toFixed(3)} (target <= 1.2)`);
}
