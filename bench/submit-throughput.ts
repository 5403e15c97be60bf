import {
  approveSender,
  cpuMs,
  bootstrappedDataDir,
  removeDir,
  runLoad,
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
    await runLoad(entry.url, requests.slice(0, WARMUP), CONCURRENCY);
    const cpuBefore = cpuMs(entry.pid);
    const submit = await runLoad(entry.url, requests.slice(WARMUP), CONCURRENCY);
    const submitCpuUs = ((cpuMs(entry.pid) - cpuBefore) * 1000) / MEASURED;
    if (submit.failures > 0)
      throw new Error(`${String(submit.failures)} submits failed: ${submit.firstFailure ?? ''}`);

    const bare = await spawnEntry('bench/servers/bare-hono.ts', {}, /listening on (http:\/\/[^\s]+)/);
    let bareRate: number;
    let bareCpuUs: number;
    try {
      await runLoad(bare.url, requests.slice(0, WARMUP), CONCURRENCY);
      const bareCpuBefore = cpuMs(bare.pid);
      const result = await runLoad(bare.url, requests.slice(WARMUP), CONCURRENCY);
      bareRate = (MEASURED / result.elapsedMs) * 1000;
      bareCpuUs = ((cpuMs(bare.pid) - bareCpuBefore) * 1000) / MEASURED;
    } finally {
      await bare.stop();
    }
    const submitRate = (MEASURED / submit.elapsedMs) * 1000;
    console.log(
      `submit throughput: ${submitRate.toFixed(0)} accepted submits/s (concurrency ${String(CONCURRENCY)})`,
    );
    console.log(`bare Hono handler: ${bareRate.toFixed(0)} req/s`);
    console.log(
      `server CPU per request: submit ${submitCpuUs.toFixed(0)} µs, bare ${bareCpuUs.toFixed(0)} µs (ratio ${(bareCpuUs / submitCpuUs).toFixed(3)})`,
    );
    console.log(`ratio submit / bare: ${(submitRate / bareRate).toFixed(3)} (target >= 0.5)`);
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}
