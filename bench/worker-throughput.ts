import { execFileSync } from 'node:child_process';
import {
  approveSender,
  bootstrappedDataDir,
  measuredLoad,
  type MeasuredLoad,
  REGION,
  removeDir,
  signedPosts,
  startNodeEntry,
  submitBody,
  SUBMIT_PATH,
} from './support';
import type { Principal } from '../src/crypto/request-signature';
import { bootstrappedWorker } from './support/worker-isolate';

const CONCURRENCY = 50;
const WARMUP = 300;
const MEASURED = 2_000;
const SENDER = 'bench@example.com';

/** The workerd processes Miniflare started under this process: their CPU is the Worker's. */
function workerdPids(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  const rows = out.split('\n').flatMap((line) => {
    const [pid, ppid, comm] = line.trim().split(/\s+/);
    return pid && ppid ? [{ pid: Number(pid), ppid: Number(ppid), comm }] : [];
  });
  const parentOf = new Map(rows.map((row) => [row.pid, row.ppid]));
  const ours = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parentOf.get(at)) {
      if (at === process.pid) return true;
    }
    return false;
  };
  return rows.filter((row) => row.comm === 'workerd' && ours(row.pid)).map((row) => row.pid);
}

/** Signed submits, one blackhole recipient each, warmed up then measured with `CONCURRENCY` in flight. */
async function submits(url: string, admin: Principal, pids: () => number[]): Promise<MeasuredLoad> {
  const bodies = Array.from({ length: WARMUP + MEASURED }, (_, i) =>
    submitBody(admin.tenancyId, SENDER, [`load-${String(i)}@email-blackhole.com`], i),
  );
  const result = await measuredLoad(
    url,
    await signedPosts(admin, url, SUBMIT_PATH, bodies),
    WARMUP,
    CONCURRENCY,
    pids,
  );
  if (result.failures > 0)
    throw new Error(`${String(result.failures)} submits failed: ${result.firstFailure ?? ''}`);
  return result;
}

/**
 * The Worker under submit load in workerd (the bundle `wrangler deploy` would upload, D1), against the Node
 * entry under the same load in the same run: throughput and CPU per submit. The workerd process's CPU includes
 * the local D1's SQLite work, which Workers does not bill as the Worker's CPU time: it is an upper bound.
 */
export async function workerThroughput(): Promise<void> {
  const worker = await bootstrappedWorker({ REGIONS: REGION });
  let onWorker: MeasuredLoad;
  try {
    await approveSender(worker, worker.admin, SENDER);
    onWorker = await submits(worker.url, worker.admin, workerdPids);
  } finally {
    await worker.dispose();
  }
  const { dataDir, admin } = await bootstrappedDataDir();
  const entry = await startNodeEntry(dataDir);
  let onNode: MeasuredLoad;
  try {
    await approveSender(entry, admin, SENDER);
    onNode = await submits(entry.url, admin, () => [entry.pid]);
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
  console.log(
    `Worker in workerd (D1): ${onWorker.rate.toFixed(0)} accepted submits/s, workerd CPU ${onWorker.cpuUs.toFixed(0)} µs per submit (local D1 included)\n` +
      `Node entry (libSQL):    ${onNode.rate.toFixed(0)} accepted submits/s, CPU ${onNode.cpuUs.toFixed(0)} µs per submit\n` +
      `ratio Worker / Node: throughput ${(onWorker.rate / onNode.rate).toFixed(2)}, CPU per submit ${(onWorker.cpuUs / onNode.cpuUs).toFixed(2)}`,
  );
}
