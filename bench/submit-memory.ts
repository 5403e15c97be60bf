import {
  approveSender,
  bootstrappedDataDir,
  removeDir,
  rssMiB,
  runLoad,
  signedPosts,
  startNodeEntry,
  submitBody,
  SUBMIT_PATH,
} from './support';

const ROUNDS = 10;
const COMPARED = 3; // rounds averaged at each end: garbage collection makes single samples swing
const PER_ROUND = 2_000;
const CONCURRENCY = 50;
const SENDER = 'memory@example.com';

/**
 * The Node entry's resident memory after each of several identical rounds of submit load, read after a
 * full garbage collection so that what is measured is what the process keeps.
 */
export async function submitMemory(): Promise<void> {
  const { dataDir, admin } = await bootstrappedDataDir();
  const entry = await startNodeEntry(dataDir, {}, { collectable: true });
  try {
    await approveSender(entry, admin, SENDER);
    const samples: number[] = [rssMiB(entry.pid)];
    for (let round = 0; round < ROUNDS; round++) {
      const bodies = Array.from({ length: PER_ROUND }, (_, i) => {
        const n = round * PER_ROUND + i;
        return submitBody(admin.tenancyId, SENDER, [`mem-${String(n)}@email-blackhole.com`], n);
      });
      const result = await runLoad(
        entry.url,
        await signedPosts(admin, entry.url, SUBMIT_PATH, bodies),
        CONCURRENCY,
      );
      if (result.failures > 0)
        throw new Error(`${String(result.failures)} submits failed: ${result.firstFailure ?? ''}`);
      await entry.collect();
      samples.push(rssMiB(entry.pid));
    }
    console.log(
      `node entry RSS (MiB) at start and after each round of ${String(PER_ROUND)} submits (each after a full collection): ${samples.map((s) => s.toFixed(1)).join(', ')}`,
    );
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    // Round 1 warms the process up (code, caches, pools); growth is judged from round 2 on.
    const early = mean(samples.slice(2, 2 + COMPARED));
    const late = mean(samples.slice(-COMPARED));
    console.log(
      `mean of rounds 2-${String(1 + COMPARED)}: ${early.toFixed(1)} MiB; of the last ${String(COMPARED)}: ${late.toFixed(1)} MiB; growth ${(late - early).toFixed(1)} MiB`,
    );
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}
