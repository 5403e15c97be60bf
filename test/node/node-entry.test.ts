import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../src/compose/node';
import { bootstrapNodeAdmin, signedFetch } from '../support/node-admin';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaalocaltenancy';
// SPF checks at sender creation must not leave the machine.
const NO_RESOLVER = 'http://127.0.0.1:1/dns-query';
let dataDir: string;
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

function tempDir(): string {
  dataDir = mkdtempSync(join(tmpdir(), 'email-node-'));
  return dataDir;
}

describe('startNodeServer', () => {
  it('creates and migrates a libSQL file per region on first use, or uses LIBSQL_URL_<KEY>', async () => {
    const dir = tempDir();
    const admin = await bootstrapNodeAdmin(dir, TENANCY);
    server = await startNodeServer({
      PORT: '0',
      DATA_DIR: dir,
      DOH_URL: NO_RESOLVER,
      REGIONS: 'us-phoenix-1,us-ashburn-1',
      LIBSQL_URL_IAD: `file:${join(dir, 'ashburn-elsewhere.db')}`,
    });
    expect(existsSync(join(dir, 'regions', 'us-phoenix-1.db'))).toBe(false);
    for (const region of ['us-phoenix-1', 'us-ashburn-1']) {
      const response = await signedFetch(admin, 'POST', `${server.url}/${region}/20170907/senders`, {
        compartmentId: TENANCY,
        emailAddress: 'noreply@example.com',
      });
      expect(response.status).toBe(200);
    }
    expect(existsSync(join(dir, 'regions', 'us-phoenix-1.db'))).toBe(true);
    expect(existsSync(join(dir, 'regions', 'us-ashburn-1.db'))).toBe(false);
    expect(existsSync(join(dir, 'ashburn-elsewhere.db'))).toBe(true);
    const disabled = await signedFetch(
      admin,
      'GET',
      `${server.url}/eu-frankfurt-1/20170907/senders?compartmentId=${TENANCY}`,
    );
    expect(disabled.status).toBe(404);
  });

  it('keeps data across restarts', async () => {
    const dir = tempDir();
    const admin = await bootstrapNodeAdmin(dir, TENANCY);
    const env = { PORT: '0', DATA_DIR: dir, REGIONS: 'us-phoenix-1', DOH_URL: NO_RESOLVER };
    server = await startNodeServer(env);
    await signedFetch(admin, 'POST', `${server.url}/us-phoenix-1/20170907/senders`, {
      compartmentId: TENANCY,
      emailAddress: 'kept@example.com',
    });
    await server.close();
    server = await startNodeServer(env);
    const list = await signedFetch(
      admin,
      'GET',
      `${server.url}/us-phoenix-1/20170907/senders?compartmentId=${TENANCY}`,
    );
    expect(((await list.json()) as unknown[]).length).toBe(1);
  });
});

describe('npm start (src/server.ts)', () => {
  it('prints where it listens and which regions are enabled, serves, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dir,
        REGIONS: 'us-phoenix-1,us-ashburn-1',
        DOH_URL: NO_RESOLVER,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // One listener for every line: two lines read from one chunk arrive in the same turn.
    const lines = createInterface({ input: child.stdout });
    const printed: string[] = [];
    const [first, second] = await new Promise<string[]>((resolve) =>
      lines.on('line', (line) => {
        printed.push(line);
        if (printed.length === 2) resolve(printed);
      }),
    );
    expect(first).toMatch(/^email delivery listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(second).toBe('regions: us-phoenix-1, us-ashburn-1 (home region: us-phoenix-1)');
    const url = /(http:\/\/\S+)/.exec(first ?? '')?.[1];
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an unknown region with a clear message and exit code 2', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dir, REGIONS: 'us-phoenix-1,mars-north-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('REGIONS: unknown region mars-north-1');
  });
});
