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

const ROUNDS = 6;
const PER_ROUND = 2_000;
const CONCURRENCY = 50;
const SENDER = 'memory@example.com';

/** The Node entry's resident memory after each of several identical rounds of submit load. */
export async function submitMemory(): Promise<void> {
  const { dataDir, admin } = await bootstrappedDataDir();
  const entry = await startNodeEntry(dataDir);
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
      samples.push(rssMiB(entry.pid));
    }
    console.log(
      `node entry RSS (MiB) at start and after each round of ${String(PER_ROUND)} submits: ${samples.map((s) => s.toFixed(1)).join(', ')}`,
    );
    const later = samples.slice(2);
    const growth = (later.at(-1) ?? 0) - (later[0] ?? 0);
    console.log(`growth from round 2 to round ${String(ROUNDS)}: ${growth.toFixed(1)} MiB`);
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
}
