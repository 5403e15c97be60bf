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
const MIB = 1024 * 1024;
const POKE_EVERY_MS = 100;
const LIVE_SAMPLE_EVERY_MS = 500;
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

  call<T>(method: string): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve) => {
      this.pending.set(id, (result) => resolve(result as T));
      this.socket.send(JSON.stringify({ id, method }));
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

export interface IsolateWorker {
  url: string;
  admin: Principal;
  /** The isolate's used JS heap in MiB, after a full collection when asked. */
  heapMiB(options?: { collect?: boolean }): Promise<number>;
  /**
   * Collects and reads the heap every half second until stopped, so the requests in flight are what it holds;
   * answers the highest reading in MiB. (Read without collecting, the heap is mostly garbage V8 has not yet
   * needed to collect: it reads higher with 2 requests in flight than with 20.)
   */
  sampleLiveHeap(): { stop(): Promise<number> };
  dispose(): Promise<void>;
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
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
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
        compatibilityDate: /^compatibility_date = "([^"]+)"/m.exec(toml)?.[1] ?? '',
        compatibilityFlags: [
          ...(/^compatibility_flags = \[([^\]]*)\]/m.exec(toml)?.[1] ?? '').matchAll(/"([^"]+)"/g),
        ].map((match) => match[1] ?? ''),
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
    const inspectorUrl = await mf.getInspectorURL();
    const targets = (await (await fetch(new URL('/json', `http://${inspectorUrl.host}`))).json()) as {
      webSocketDebuggerUrl: string;
      title?: string;
    }[];
    const target = targets.find((t) => t.webSocketDebuggerUrl.includes(WORKER_NAME)) ?? targets[0];
    if (!target) throw new Error('the inspector lists no isolate');
    const session = await InspectorSession.open(target.webSocketDebuggerUrl);
    // workerd hands the isolate an inspector command that needs its lock when a request next takes it.
    const collectGarbage = async (): Promise<void> => {
      const state = { done: false };
      const collected = session.call('HeapProfiler.collectGarbage').then(() => (state.done = true));
      while (!state.done) {
        await new Promise((resolve) => setTimeout(resolve, POKE_EVERY_MS));
        await (await fetch(new URL('/healthz', url))).arrayBuffer();
      }
      await collected;
    };
    const heapMiB = async ({ collect = false } = {}): Promise<number> => {
      if (collect) await collectGarbage();
      const usage = await session.call<{ usedSize: number }>('Runtime.getHeapUsage');
      return usage.usedSize / MIB;
    };
    return {
      url,
      admin: { ...admin, privateKey: keys.privateKey },
      heapMiB,
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
