import {
  approveSender,
  measuredLoad,
  type MeasuredLoad,
  bootstrappedDataDir,
  removeDir,
  signedPosts,
  spawnEntry,
  startNodeEntry,
  submitBody,
  SUBMIT_PATH,
} from './support';

const CONCURRENCY = 50;
const WARMUP = 500;
const MEASURED = 4_000;
const SENDER = 'bench@example.com';

/** Accepted submits per second (one blackhole recipient each) against a bare Hono handler, same client. */
export async function submitThroughput(): Promise<void> {
  const { dataDir, admin } = await bootstrappedDataDir();
  const entry = await startNodeEntry(dataDir);
  try {
    await approveSender(entry, admin, SENDER);
    const bodies = Array.from({ length: WARMUP + MEASURED }, (_, i) =>
      submitBody(admin.tenancyId, SENDER, [`load-${String(i)}@email-blackhole.com`], i),
    );
    const requests = await signedPosts(admin, entry.url, SUBMIT_PATH, bodies, (i) => ({
      'opc-request-id': `BENCH${String(i).padStart(8, '0')}`,
    }));
    const submit = await measuredLoad(entry.url, requests, WARMUP, CONCURRENCY, () => [entry.pid]);
    if (submit.failures > 0)
      throw new Error(`${String(submit.failures)} submits failed: ${submit.firstFailure ?? ''}`);

    const bareEntry = await spawnEntry('bench/servers/bare-hono.ts', {}, /listening on (http:\/\/[^\s]+)/);
    let bare: MeasuredLoad;
    try {
      bare = await measuredLoad(bareEntry.url, requests, WARMUP, CONCURRENCY, () => [bareEntry.pid]);
    } finally {
      await bareEntry.stop();
    }
    console.log(
      `submit throughput: ${submit.rate.toFixed(0)} accepted submits/s (concurrency ${String(CONCURRENCY)})`,
    );
    console.log(`bare Hono handler: ${bare.rate.toFixed(0)} req/s`);
    console.log(
      `server CPU per request: submit ${submit.cpuUs.toFixed(0)} µs, bare ${bare.cpuUs.toFixed(0)} µs (ratio ${(bare.cpuUs / submit.cpuUs).toFixed(3)})`,
    );
    console.log(`ratio submit / bare: ${(submit.rate / bare.rate).toFixed(3)} (target >= 0.5)`);
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}
