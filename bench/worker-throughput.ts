import { execFileSync } from 'node:child_process';
import {
  approveSender,
  bootstrappedDataDir,
  measuredLoad,
  type MeasuredLoad,
  type PreparedRequest,
  REGION,
  removeDir,
  runLoad,
  signedPosts,
  startNodeEntry,
  submitBody,
  SUBMIT_PATH,
} from './support';
import type { Principal } from '../src/crypto/request-signature';
import {
  bareWorker,
  bootstrappedWorker,
  type IsolateCpu,
  type ProfiledWorker,
} from './support/worker-isolate';

const CONCURRENCY = 50;
const WARMUP = 300;
const MEASURED = 2_000;
// Profiled after the measured load, so the profiler's own cost is not in the throughput.
const PROFILED = 1_000;
// A bare request costs the isolate a few µs: more of them, so the profile holds enough samples.
const BARE_PROFILED = 5_000;
const SENDER = 'bench@example.com';
const FREE_PLAN_CPU_MS = 10;
const DEFAULT_CPU_LIMIT_MS = 30_000;

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

/** `count` signed submits numbered from `first`, one blackhole recipient each. */
function signedSubmits(
  url: string,
  admin: Principal,
  first: number,
  count: number,
): Promise<PreparedRequest[]> {
  const bodies = Array.from({ length: count }, (_, i) =>
    submitBody(admin.tenancyId, SENDER, [`load-${String(first + i)}@email-blackhole.com`], first + i),
  );
  return signedPosts(admin, url, SUBMIT_PATH, bodies);
}

/** Signed submits, warmed up then measured with `CONCURRENCY` in flight. */
async function submits(url: string, admin: Principal, pids: () => number[]): Promise<MeasuredLoad> {
  const requests = await signedSubmits(url, admin, 0, WARMUP + MEASURED);
  const result = await measuredLoad(url, requests, WARMUP, CONCURRENCY, pids);
  if (result.failures > 0)
    throw new Error(`${String(result.failures)} submits failed: ${result.firstFailure ?? ''}`);
  return result;
}

/** The isolate's CPU per request (ms) over `requests` sent with `CONCURRENCY` in flight, from its CPU profile. */
async function isolateCpuPerRequest(
  worker: ProfiledWorker,
  requests: PreparedRequest[],
): Promise<IsolateCpu> {
  const profiling = await worker.profileCpu();
  const result = await runLoad(worker.url, requests, CONCURRENCY);
  const cpu = await profiling.stop();
  if (result.failures > 0)
    throw new Error(`${String(result.failures)} requests failed: ${result.firstFailure ?? ''}`);
  const perRequest = (ms: number) => ms / requests.length;
  return {
    jsMs: perRequest(cpu.jsMs),
    gcMs: perRequest(cpu.gcMs),
    runtimeMs: perRequest(cpu.runtimeMs),
  };
}

/**
 * The Worker under submit load in workerd (the bundle `wrangler deploy` would upload, D1), against the Node
 * entry under the same load in the same run: throughput and CPU per submit. The workerd process's CPU includes
 * the local D1's SQLite work, which Workers does not bill as the Worker's CPU time: it is an upper bound.
 * What Workers bills is the isolate's own CPU, read from its CPU profile: locally workerd leaves a tail event's
 * `cpuTime` at 0, and runs D1 and the isolate on one thread, so neither tells them apart.
 */
export async function workerThroughput(): Promise<void> {
  const worker = await bootstrappedWorker({ REGIONS: REGION });
  let onWorker: MeasuredLoad;
  let isolate: IsolateCpu;
  try {
    await approveSender(worker, worker.admin, SENDER);
    onWorker = await submits(worker.url, worker.admin, workerdPids);
    const profiled = await signedSubmits(worker.url, worker.admin, WARMUP + MEASURED, PROFILED);
    isolate = await isolateCpuPerRequest(worker, profiled);
  } finally {
    await worker.dispose();
  }
  const bare = await bareWorker();
  let onBare: IsolateCpu;
  try {
    const requests = await signedSubmits(bare.url, worker.admin, 0, BARE_PROFILED);
    await runLoad(bare.url, requests.slice(0, WARMUP), CONCURRENCY);
    onBare = await isolateCpuPerRequest(bare, requests);
  } finally {
    await bare.dispose();
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
  // Workers bills collection with the request that set it off; the runtime's own work is shown beside it.
  const us = (ms: number) => ms * 1000;
  const billedUs = us(isolate.jsMs + isolate.gcMs);
  const bareUs = us(onBare.jsMs + onBare.gcMs);
  console.log(
    `Worker in workerd (D1): ${onWorker.rate.toFixed(0)} accepted submits/s, workerd CPU ${onWorker.cpuUs.toFixed(0)} µs per submit (local D1 included)\n` +
      `Node entry (libSQL):    ${onNode.rate.toFixed(0)} accepted submits/s, CPU ${onNode.cpuUs.toFixed(0)} µs per submit\n` +
      `ratio Worker / Node: throughput ${(onWorker.rate / onNode.rate).toFixed(2)}, CPU per submit ${(onWorker.cpuUs / onNode.cpuUs).toFixed(2)}\n` +
      `Worker isolate CPU as Workers bills it (profiled, ${String(PROFILED)} submits): ${billedUs.toFixed(0)} µs per submit (JavaScript ${us(isolate.jsMs).toFixed(0)} + GC ${us(isolate.gcMs).toFixed(0)}), and ${us(isolate.runtimeMs).toFixed(0)} µs of workerd's own work with the isolate entered; ${(billedUs / onWorker.cpuUs).toFixed(2)} of the workerd process's CPU\n` +
      `bare Worker handler, same measure (${String(BARE_PROFILED)} requests): ${bareUs.toFixed(1)} µs per request; ratio submit / bare ${(billedUs / bareUs).toFixed(0)}\n` +
      `against Workers' CPU limits: ${(billedUs / 1000).toFixed(2)} ms per submit is ${((billedUs / 1000 / FREE_PLAN_CPU_MS) * 100).toFixed(0)}% of the free plan's ${String(FREE_PLAN_CPU_MS)} ms and ${((billedUs / 1000 / DEFAULT_CPU_LIMIT_MS) * 100).toFixed(4)}% of the default ${String(DEFAULT_CPU_LIMIT_MS / 1000)} s`,
  );
}
