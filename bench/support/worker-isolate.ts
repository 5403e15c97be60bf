import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { drizzle } from 'drizzle-orm/d1';
import { Miniflare } from 'miniflare';
import WebSocket from 'ws';
import { regionCatalog } from '../../src/config/region-catalog';
import { bootstrapTenancy } from '../../src/domain/identity/bootstrap';
import { jsonLogger, systemRuntime } from '../../src/platform/system';
import type { Database } from '../../src/store/database';
import { createIdentityStore } from '../../src/store/identity/identity-store';
import { schema } from '../../src/store/schema';
import { generateKeyPair } from '../../src/crypto/rsa-keys';
import type { Principal } from '../../src/crypto/request-signature';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_NAME = 'email-delivery';
const BARE_WORKER_NAME = 'bare';
const MIB = 1024 * 1024;
const POKE_EVERY_MS = 100;
const LIVE_SAMPLE_EVERY_MS = 500;
// Asked of V8's sampler, which takes about 100 µs more per sample: the period is read from the profile.
const SAMPLE_EVERY_US = 250;
// The deltas near the shortest are samples taken back to back, the rest span a wait for I/O or a request.
const SHORTEST_DELTA_QUANTILE = 0.05;
const BACK_TO_BACK_SPREAD = 1.5;
// The profile's own nodes; every other leaf is JavaScript.
const NOT_JS = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** A Chrome DevTools Protocol session with one isolate, through workerd's inspector. */
class InspectorSession {
  private next = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown };
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    });
  }

  static async open(url: string): Promise<InspectorSession> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new InspectorSession(socket);
  }

  call<T>(method: string, params?: object): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve) => {
      this.pending.set(id, (result) => resolve(result as T));
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** A D1 binding as far as applying migrations to it goes. */
interface Migratable {
  prepare(query: string): { run(): Promise<unknown> };
}

/** The CPU the isolate spent while profiled, in ms, by what it ran. */
export interface IsolateCpu {
  /** JavaScript, the Worker's own code and the libraries bundled with it. */
  jsMs: number;
  /** Collection on the isolate's thread, which a request's allocations set off and Workers bills with it. */
  gcMs: number;
  /** The runtime's own work with the isolate entered and no JavaScript on the stack ("(program)"). */
  runtimeMs: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** A running CPU profile of one isolate. */
export interface CpuProfiling {
  stop(): Promise<IsolateCpu>;
}

/** A Worker in workerd whose isolate can be profiled. */
export interface ProfiledWorker {
  url: string;
  /** Starts the isolate's CPU profiler; the samples taken until `stop` are what the isolate ran. */
  profileCpu(): Promise<CpuProfiling>;
  dispose(): Promise<void>;
}

export interface IsolateWorker extends ProfiledWorker {
  admin: Principal;
  /** The isolate's used JS heap in MiB, after a full collection when asked. */
  heapMiB(options?: { collect?: boolean }): Promise<number>;
  /**
   * Collects and reads the heap every half second until stopped, so the requests in flight are what it holds;
   * answers the highest reading in MiB. (Read without collecting, the heap is mostly garbage V8 has not yet
   * needed to collect: it reads higher with 2 requests in flight than with 20.)
   */
  sampleLiveHeap(): { stop(): Promise<number> };
}

/**
 * Where an isolate's CPU went. V8 records a sample only while the isolate is entered, so the delta before a
 * sample that follows a wait spans the wait: the sampler's period is read from back-to-back samples (the
 * deltas near the shortest) and each sample counts one period.
 */
export function isolateCpu(profile: CpuProfile): IsolateCpu {
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  const deltas = profile.timeDeltas.filter((delta) => delta > 0).sort((a, b) => a - b);
  const shortest = deltas[Math.floor(deltas.length * SHORTEST_DELTA_QUANTILE)] ?? 0;
  const backToBack = deltas.filter((delta) => delta <= shortest * BACK_TO_BACK_SPREAD);
  const periodMs = (backToBack[Math.floor(backToBack.length / 2)] ?? 0) / 1000;
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const name = names.get(id) ?? '';
    const kind = NOT_JS.has(name) ? name : 'js';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return {
    jsMs: (counts.get('js') ?? 0) * periodMs,
    gcMs: (counts.get('(garbage collector)') ?? 0) * periodMs,
    runtimeMs: (counts.get('(program)') ?? 0) * periodMs,
  };
}

/** workerd's compatibility settings from wrangler.toml. */
function compatibility(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  return {
    compatibilityDate: /^compatibility_date = "([^"]+)"/m.exec(toml)?.[1] ?? '',
    compatibilityFlags: [
      ...(/^compatibility_flags = \[([^\]]*)\]/m.exec(toml)?.[1] ?? '').matchAll(/"([^"]+)"/g),
    ].map((match) => match[1] ?? ''),
  };
}

/** The inspector session of the isolate named `name`, and a way to run commands that need its lock. */
async function inspectIsolate(
  mf: Miniflare,
  name: string,
  pokeUrl: URL,
): Promise<{
  session: InspectorSession;
  whenRunning: <T>(method: string, params?: object) => Promise<T>;
  profileCpu: () => Promise<CpuProfiling>;
}> {
  const inspectorUrl = await mf.getInspectorURL();
  const targets = (await (await fetch(new URL('/json', `http://${inspectorUrl.host}`))).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl.endsWith(`/${name}`)) ?? targets[0];
  if (!target) throw new Error('the inspector lists no isolate');
  const session = await InspectorSession.open(target.webSocketDebuggerUrl);
  // workerd hands the isolate an inspector command that needs its lock when a request next takes it.
  const whenRunning = async <T>(method: string, params?: object): Promise<T> => {
    const state = { done: false };
    const answered = session.call<T>(method, params).then((result) => {
      state.done = true;
      return result;
    });
    while (!state.done) {
      await new Promise((resolve) => setTimeout(resolve, POKE_EVERY_MS));
      await (await fetch(pokeUrl)).arrayBuffer();
    }
    return answered;
  };
  const profileCpu = async (): Promise<CpuProfiling> => {
    await whenRunning('Profiler.enable');
    await whenRunning('Profiler.setSamplingInterval', { interval: SAMPLE_EVERY_US });
    await whenRunning('Profiler.start');
    return {
      stop: async () => isolateCpu((await whenRunning<{ profile: CpuProfile }>('Profiler.stop')).profile),
    };
  };
  return { session, whenRunning, profileCpu };
}

/** A Worker that reads each request and answers an empty 200: what workerd and the isolate cost by themselves. */
export async function bareWorker(): Promise<ProfiledWorker> {
  const mf = new Miniflare({
    inspectorPort: 0,
    workers: [
      {
        name: BARE_WORKER_NAME,
        modules: true,
        script:
          'export default { async fetch(request) { await request.arrayBuffer(); return new Response(null); } };',
        ...compatibility(),
        unsafeInspectorProxy: true,
      },
    ],
  });
  try {
    const url = (await mf.ready).origin;
    const { session, profileCpu } = await inspectIsolate(mf, BARE_WORKER_NAME, new URL('/', url));
    return {
      url,
      profileCpu,
      async dispose() {
        session.close();
        await mf.dispose();
      },
    };
  } catch (error) {
    await mf.dispose();
    throw error;
  }
}

/** The bundle `wrangler deploy` would upload, built into `outDir`. */
function buildBundle(outDir: string): string {
  const wrangler = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const built = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outDir], {
    cwd: ROOT,
    env: ENV,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the worker failed: ${built.stderr}`);
  return join(outDir, 'worker.js');
}

/**
 * The Worker in workerd through Miniflare, with wrangler.toml's compatibility settings, `vars`, in-memory D1 for
 * identity and each region of `vars.REGIONS` (migrated), and a bootstrapped administrator.
 */
export async function bootstrappedWorker(vars: Record<string, string>): Promise<IsolateWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'email-worker-bench-'));
  const regions = regionCatalog.filter((region) => vars.REGIONS?.split(',').includes(region.id));
  const databases = Object.fromEntries(
    ['DB_IDENTITY', ...regions.map((region) => region.bindings.database)].map((name) => [name, name]),
  );
  const mf = new Miniflare({
    inspectorPort: 0,
    // The Worker's JSON log lines are read and dropped, as a log shipper would; errors still show.
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      stdout.resume();
      stderr.pipe(process.stderr);
    },
    workers: [
      {
        name: WORKER_NAME,
        modules: true,
        modulesRoot: dir,
        scriptPath: buildBundle(dir),
        ...compatibility(),
        d1Databases: databases,
        bindings: {
          QUOTA_EMAILS_PER_DAY: '1000000000',
          QUOTA_EMAILS_PER_MINUTE: '1000000000',
          DOH_URL: 'http://127.0.0.1:1/dns-query',
          ...vars,
        },
        unsafeInspectorProxy: true,
      },
    ],
  });
  try {
    const url = (await mf.ready).origin;
    const migrations = await readD1Migrations(join(ROOT, 'migrations'));
    for (const binding of Object.keys(databases)) {
      const d1: Migratable = await mf.getD1Database(binding);
      for (const migration of migrations) {
        for (const query of migration.queries) await d1.prepare(query).run();
      }
    }
    const identity = drizzle(await mf.getD1Database('DB_IDENTITY'), { schema }) as unknown as Database;
    const keys = await generateKeyPair();
    const admin = await bootstrapTenancy(
      systemRuntime(jsonLogger(() => undefined)),
      createIdentityStore(identity),
      { publicKeyPem: keys.publicKeyPem },
    );
    const { session, whenRunning, profileCpu } = await inspectIsolate(
      mf,
      WORKER_NAME,
      new URL('/healthz', url),
    );
    const heapMiB = async ({ collect = false } = {}): Promise<number> => {
      if (collect) await whenRunning('HeapProfiler.collectGarbage');
      const usage = await session.call<{ usedSize: number }>('Runtime.getHeapUsage');
      return usage.usedSize / MIB;
    };
    return {
      url,
      admin: { ...admin, privateKey: keys.privateKey },
      heapMiB,
      profileCpu,
      sampleLiveHeap() {
        const state = { highest: 0, running: true };
        const loop = (async () => {
          while (state.running) {
            await new Promise((resolve) => setTimeout(resolve, LIVE_SAMPLE_EVERY_MS));
            state.highest = Math.max(state.highest, await heapMiB({ collect: true }));
          }
        })();
        return {
          stop: async () => {
            state.running = false;
            await loop;
            return state.highest;
          },
        };
      },
      async dispose() {
        session.close();
        await mf.dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
