import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { signRequest, type Principal } from '../src/crypto/request-signature';
import { generateKeyPair } from '../src/crypto/rsa-keys';

const run = promisify(execFile);

export const REGION = 'us-phoenix-1';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 60_000;

export interface Entry {
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** Runs a full garbage collection in the entry (started by `startNodeEntry(..., { collectable: true })`). */
  collect(): Promise<void>;
}

/**
 * A fresh DATA_DIR bootstrapped by the admin CLI (`npm run admin -- bootstrap`), as a user starts one;
 * returns the administrator who signs the load.
 */
export async function bootstrappedDataDir(): Promise<{ dataDir: string; admin: Principal }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'email-bench-'));
  const keys = await generateKeyPair();
  const keyFile = join(dataDir, 'admin_public.pem');
  writeFileSync(keyFile, keys.publicKeyPem);
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli/admin.ts', 'bootstrap', '--public-key', keyFile],
    { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } },
  );
  const ids = JSON.parse(stdout) as { tenancyId: string; userId: string; fingerprint: string };
  return { dataDir, admin: { ...ids, privateKey: keys.privateKey } };
}

/** Spawns a TypeScript entry in its own Node process (its own core) and waits for the line naming its URL. */
export function spawnEntry(
  file: string,
  env: Record<string, string>,
  urlPattern: RegExp,
  nodeArgs: string[] = [],
): Promise<Entry> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : []),
      '--import',
      'tsx',
      ...nodeArgs,
      file,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (text.includes('collected\n')) child.emit('collected');
    process.stderr.write(text.replaceAll('collected\n', ''));
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start`)), START_TIMEOUT_MS);
    let buffered = '';
    let started = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (started) return; // the entry's JSON log lines are read and dropped, as a log shipper would
      buffered += chunk.toString('utf8');
      const url = urlPattern.exec(buffered)?.[1];
      if (!url) return;
      started = true;
      clearTimeout(timer);
      resolve({
        url,
        pid: child.pid ?? 0,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        collect: () =>
          new Promise<void>((done) => {
            child.once('collected', () => done());
            child.kill('SIGUSR2');
          }),
      });
    });
    child.once('exit', (code) => {
      if (!started) reject(new Error(`${file} exited with ${String(code)}`));
    });
  });
}

/** A port free on the loopback address now, for a listener that must be told its port up front. */
export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** The real Node entry (`src/server.ts`) on a free port with file libSQL under `dataDir`. */
export function startNodeEntry(
  dataDir: string,
  extra: Record<string, string> = {},
  { collectable = false }: { collectable?: boolean } = {},
): Promise<Entry> {
  return spawnEntry(
    'src/server.ts',
    {
      PORT: '0',
      DATA_DIR: dataDir,
      REGIONS: REGION,
      DOH_URL: 'http://127.0.0.1:1/dns-query',
      QUOTA_EMAILS_PER_DAY: '1000000000',
      QUOTA_EMAILS_PER_MINUTE: '1000000000',
      ...extra,
    },
    /listening on (http:\/\/[^\s]+)/,
    collectable ? ['--expose-gc', '--import', './bench/support/collect-on-signal.ts'] : [],
  );
}

export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Signs ahead of time, so the load measures the server and not the client's RSA signing. */
export async function signedPosts(
  principal: Principal,
  url: string,
  path: string,
  bodies: string[],
  extraHeaders: (i: number) => Record<string, string> = () => ({}),
): Promise<PreparedRequest[]> {
  const out: PreparedRequest[] = [];
  const now = new Date();
  for (const [i, body] of bodies.entries()) {
    const signed = await signRequest(principal, 'POST', `${url}${path}`, body, extraHeaders(i), { now });
    out.push({ path, headers: signed.headers, body });
  }
  return out;
}

export async function signedJson(
  principal: Principal,
  url: string,
  path: string,
  body: unknown,
): Promise<Response> {
  const text = JSON.stringify(body);
  const signed = await signRequest(principal, 'POST', `${url}${path}`, text, {}, { now: new Date() });
  return fetch(signed.url, signed);
}

export interface LoadResult {
  elapsedMs: number;
  latenciesMs: number[];
  failures: number;
  firstFailure?: string;
}

/** Sends every request with `concurrency` in flight over keep-alive connections. */
export async function runLoad(
  url: string,
  requests: PreparedRequest[],
  concurrency: number,
): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const one = (prepared: PreparedRequest) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: prepared.path,
          headers: prepared.headers,
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => {
            latenciesMs.push(performance.now() - started);
            if (res.statusCode !== 200) {
              failures += 1;
              firstFailure ??= `${String(res.statusCode)} ${text}`;
            }
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(prepared.body);
    });
  const worker = async () => {
    while (next < requests.length) {
      const prepared = requests[next++];
      if (prepared) await one(prepared);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { elapsedMs, latenciesMs, failures, ...(firstFailure ? { firstFailure } : {}) };
}

export interface MeasuredLoad extends LoadResult {
  /** Requests answered per second. */
  rate: number;
  /** CPU the given processes spent per measured request, in µs. */
  cpuUs: number;
}

/** Sends the first `warmup` requests unmeasured, then the rest, timing them and the CPU `pids` spend on them. */
export async function measuredLoad(
  url: string,
  requests: PreparedRequest[],
  warmup: number,
  concurrency: number,
  pids: () => readonly number[],
): Promise<MeasuredLoad> {
  const cpuOf = (): number => pids().reduce((sum, pid) => sum + cpuMs(pid), 0);
  await runLoad(url, requests.slice(0, warmup), concurrency);
  const before = cpuOf();
  const measured = requests.slice(warmup);
  const result = await runLoad(url, measured, concurrency);
  const cpuUs = ((cpuOf() - before) * 1000) / measured.length;
  return { ...result, rate: (measured.length / result.elapsedMs) * 1000, cpuUs };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Resident memory of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields =
    readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime, in clock ticks of 1/100 s
  return ticks * 10;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A submitEmail body from `sender` to `recipients`, unique by `n` so no submit replays another. */
export function submitBody(tenancyId: string, sender: string, recipients: string[], n: number): string {
  return JSON.stringify({
    sender: { compartmentId: tenancyId, senderAddress: { email: sender } },
    recipients: { to: recipients.map((email) => ({ email })) },
    subject: `bench ${String(n)}`,
    bodyText: `Hello from the benchmark, message ${String(n)}.`,
  });
}

export async function approveSender(
  entry: Pick<Entry, 'url'>,
  admin: Principal,
  email: string,
): Promise<void> {
  const response = await signedJson(admin, entry.url, `/${REGION}/20170907/senders`, {
    compartmentId: admin.tenancyId,
    emailAddress: email,
  });
  if (response.status !== 200) throw new Error(`createSender answered ${String(response.status)}`);
}

export const SUBMIT_PATH = `/${REGION}/20220926/actions/submitEmail`;
