import { approveSender, REGION, runLoad, signedPosts, submitBody, SUBMIT_PATH } from './support';
import { bootstrappedWorker } from './support/worker-isolate';

const ROUNDS = 5;
const PER_ROUND = 400;
const CONCURRENCY = 50;
const LIMIT_MIB = 128; // what Cloudflare allows one Worker isolate
const SENDER = 'isolate@example.com';

/**
 * The Worker's isolate heap in workerd (the bundle `wrangler deploy` would upload, D1 for identity and one region)
 * after rounds of signed submits and while they run, read through the inspector after a full collection.
 */
export async function workerMemory(): Promise<void> {
  const worker = await bootstrappedWorker({ REGIONS: REGION });
  try {
    await approveSender(worker, worker.admin, SENDER);
    const samples = [await worker.heapMiB()];
    let peak = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const bodies = Array.from({ length: PER_ROUND }, (_, i) => {
        const n = round * PER_ROUND + i;
        return submitBody(worker.admin.tenancyId, SENDER, [`isolate-${String(n)}@email-blackhole.com`], n);
      });
      const requests = await signedPosts(worker.admin, worker.url, SUBMIT_PATH, bodies);
      const sampling = worker.sampleLiveHeap();
      const result = await runLoad(worker.url, requests, CONCURRENCY);
      peak = Math.max(peak, await sampling.stop());
      if (result.failures > 0)
        throw new Error(`${String(result.failures)} submits failed: ${result.firstFailure ?? ''}`);
      samples.push(await worker.heapMiB({ collect: true }));
    }
    console.log(
      `worker isolate heap (MiB) at start and after each round of ${String(PER_ROUND)} submits (each after a full collection): ${samples.map((s) => s.toFixed(1)).join(', ')}`,
    );
    console.log(
      `highest live heap during the load (${String(CONCURRENCY)} submits in flight, read after a collection every 0.5 s): ${peak.toFixed(1)} MiB; share of the ${String(LIMIT_MIB)} MiB isolate limit: ${(peak / LIMIT_MIB).toFixed(3)}`,
    );
  } finally {
    await worker.dispose();
  }
}
