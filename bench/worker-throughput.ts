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
import { bootstrappedWorker, type IsolateCpu } from './support/worker-isolate';

const CONCURRENCY = 50;
const WARMUP = 300;
const MEASURED = 2_000;
const PROFILED = 500;
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
async function submits(
  url: string,
  admin: Principal,
  pids: () => number[],
  load: { first: number; warmup: number; measured: number; measuring?: () => Promise<() => Promise<void>> },
): Promise<MeasuredLoad> {
  const bodies = Array.from({ length: load.warmup + load.measured }, (_, i) => {
    const n = load.first + i;
    return submitBody(admin.tenancyId, SENDER, [`load-${String(n)}@email-blackhole.com`], n);
  });
  const result = await measuredLoad(
    url,
    await signedPosts(admin, url, SUBMIT_PATH, bodies),
    load.warmup,
    CONCURRENCY,
    pids,
    load.measuring,
  );
  if (result.failures > 0)
    throw new Error(`${String(result.failures)} submits failed: ${result.firstFailure ?? ''}`);
  return result;
}

/**
 * The Worker under submit load in workerd (the bundle `wrangler deploy` would upload, D1), against the Node
 * entry under the same load in the same run: throughput and CPU per submit. The workerd process's CPU includes
 * the local D1's SQLite work, which Workers does not bill as the Worker's CPU time: it is an upper bound. What
 * Workers bills is the isolate's own CPU: a further run under V8's sampling profiler gives the isolate's share
 * of the process's CPU (the profiler slows both alike), applied to the unprofiled figure.
 */
export async function workerThroughput(): Promise<void> {
  const worker = await bootstrappedWorker({ REGIONS: REGION });
  let onWorker: MeasuredLoad;
  let profiled: MeasuredLoad;
  let isolate: IsolateCpu | undefined;
  try {
    await approveSender(worker, worker.admin, SENDER);
    onWorker = await submits(worker.url, worker.admin, workerdPids, {
      first: 0,
      warmup: WARMUP,
      measured: MEASURED,
    });
    profiled = await submits(worker.url, worker.admin, workerdPids, {
      first: WARMUP + MEASURED,
      warmup: 0,
      measured: PROFILED,
      measuring: async () => {
        const profile = await worker.profileCpu();
        return async () => {
          isolate = await profile.stop();
        };
      },
    });
  } finally {
    await worker.dispose();
  }
  const { dataDir, admin } = await bootstrappedDataDir();
  const entry = await startNodeEntry(dataDir);
  let onNode: MeasuredLoad;
  try {
    await approveSender(entry, admin, SENDER);
    onNode = await submits(entry.url, admin, () => [entry.pid], {
      first: 0,
      warmup: WARMUP,
      measured: MEASURED,
    });
  } finally {
    await entry.stop();
    removeDir(dataDir);
  }
  const cpu = isolate;
  if (!cpu) throw new Error('the isolate was not profiled');
  // Sampled, the share can read a little over the whole; the isolate cannot use more than its process.
  const share = Math.min(1, (cpu.busyMs * 1000) / PROFILED / profiled.cpuUs);
  const billedUs = share * onWorker.cpuUs;
  console.log(
    `Worker isolate CPU per submit, as Workers bills it: ${billedUs.toFixed(0)} µs (the isolate's share of the workerd ` +
      `process's CPU under the profiler: ${(share * 100).toFixed(0)}%, of which garbage collection ` +
      `${((cpu.gcMs / cpu.busyMs) * 100).toFixed(0)}% and native code ${((cpu.programMs / cpu.busyMs) * 100).toFixed(0)}%); ` +
      `${((billedUs / 10_000) * 100).toFixed(1)}% of the free plan's 10 ms per request, ` +
      `${((billedUs / 30_000_000) * 100).toFixed(4)}% of the paid plan's default 30 s\n` +
      `Worker in workerd (D1): ${onWorker.rate.toFixed(0)} accepted submits/s, workerd CPU ${onWorker.cpuUs.toFixed(0)} µs per submit (local D1 included)\n` +
      `Node entry (libSQL):    ${onNode.rate.toFixed(0)} accepted submits/s, CPU ${onNode.cpuUs.toFixed(0)} µs per submit\n` +
      `where the isolate's time goes (share of its busy time): ${cpu.top
        .map(([place, ms]) => `${place} ${((ms / cpu.busyMs) * 100).toFixed(0)}%`)
        .join(', ')}\n` +
      `ratio Worker / Node: throughput ${(onWorker.rate / onNode.rate).toFixed(2)}, CPU per submit ${(onWorker.cpuUs / onNode.cpuUs).toFixed(2)} (workerd process), ${(billedUs / onNode.cpuUs).toFixed(2)} (isolate as billed)`,
  );
}
