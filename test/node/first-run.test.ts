import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runTsx } from '../support/tsx-process';
import { afterEach, describe, expect, it } from 'vitest';
import { signedFetch } from '../support/node-admin';
import type { Principal } from '../../src/crypto/request-signature';
import { importPrivateKey } from '../../src/crypto/rsa-keys';

// SPF checks at sender creation must not leave the machine.
const NO_RESOLVER = 'http://127.0.0.1:1/dns-query';
let root: string;
const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  rmSync(root, { recursive: true, force: true });
});

/** `npm start` as a process: resolves once it printed its start lines (up to the first SMTP line). */
async function start(env: Record<string, string>): Promise<{ lines: string[]; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', DOH_URL: NO_RESOLVER, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stops.push(() => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited.then(() => undefined);
  });
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout });
  await new Promise<void>((resolve) => {
    reader.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('no relay configured')) resolve();
    });
  });
  const url = /listening on (http:\/\/\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
  return { lines, url };
}

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);
const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe("the README's first run, in a folder where DATA_DIR does not exist yet", () => {
  it('bootstraps, starts with a few lines, answers a signed call, and keeps DATA_DIR private', async () => {
    root = mkdtempSync(join(tmpdir(), 'email-first-run-'));
    const dataDir = join(root, 'data');
    const privateKey = join(root, 'oci_api_key.pem');
    const publicKey = join(root, 'oci_api_key_public.pem');
    expect(spawnSync('openssl', ['genrsa', '-out', privateKey, '2048']).status).toBe(0);
    expect(spawnSync('openssl', ['rsa', '-pubout', '-in', privateKey, '-out', publicKey]).status).toBe(0);

    const bootstrap = await runTsx(['src/cli/admin.ts', 'bootstrap', '--public-key', publicKey], {
      DATA_DIR: dataDir,
    });
    expect(bootstrap.err).not.toContain('ConnectionFailed');
    expect(bootstrap.code).toBe(0);
    expect(bootstrap.err).toContain('region=us-phoenix-1');
    const ids = JSON.parse(bootstrap.out) as { tenancyId: string; userId: string; fingerprint: string };

    const { lines, url } = await start({ DATA_DIR: dataDir, SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0' });
    expect(lines[0]).toMatch(/^email delivery listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/\(home region: us-phoenix-1\)$/);
    expect(lines.find((line) => line.startsWith('SMTP submission for'))).toMatch(
      /^SMTP submission for us-phoenix-1:/,
    );
    expect(lines.join('\n')).not.toContain('relay.configured');
    expect(lines.length).toBeLessThanOrEqual(6);

    const admin: Principal = { ...ids, privateKey: await importPrivateKey(readFileSync(privateKey, 'utf8')) };
    const created = await signedFetch(admin, 'POST', `${url}/us-phoenix-1/20170907/senders`, {
      compartmentId: ids.tenancyId,
      emailAddress: 'noreply@example.com',
    });
    expect(created.status).toBe(200);

    expect(modeOf(dataDir)).toBe('711');
    expect(modeOf(join(dataDir, 'identity.db'))).toBe('600');
    expect(modeOf(join(dataDir, 'identity.db-wal'))).toBe('600');
    expect(modeOf(join(dataDir, 'regions'))).toBe('700');
    expect(modeOf(join(dataDir, 'regions', 'us-phoenix-1.db'))).toBe('600');
    expect(modeOf(join(dataDir, 'secrets'))).toBe('700');
    expect(modeOf(join(dataDir, 'secrets', 'unsubscribe-secret'))).toBe('600');
    expect(modeOf(join(dataDir, 'mailbox'))).toBe('700');
    expect(modeOf(join(dataDir, 'mailbox', 'index.jsonl'))).toBe('600');
    expect(modeOf(join(dataDir, 'tls'))).toBe('711');
    expect(modeOf(join(dataDir, 'tls', 'ca-cert.pem'))).toBe('644');
    for (const name of ['ca-key.pem', 'server-key.pem', 'server-cert.pem', 'server-rsa-key.pem']) {
      expect(modeOf(join(dataDir, 'tls', name))).toBe('600');
    }
  });

  it('tightens a DATA_DIR an earlier version left readable to everyone', async () => {
    root = mkdtempSync(join(tmpdir(), 'email-first-run-'));
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'regions'), { recursive: true, mode: 0o755 });
    mkdirSync(join(dataDir, 'secrets'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'identity.db'), '', { mode: 0o644 });
    writeFileSync(join(dataDir, 'secrets', 'unsubscribe-secret'), 'x'.repeat(43), { mode: 0o644 });
    for (const path of [dataDir, join(dataDir, 'regions'), join(dataDir, 'secrets')]) chmodSync(path, 0o755);
    chmodSync(join(dataDir, 'identity.db'), 0o644);
    chmodSync(join(dataDir, 'secrets', 'unsubscribe-secret'), 0o644);
    await start({ DATA_DIR: dataDir, SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0' });
    expect(modeOf(dataDir)).toBe('711');
    expect(modeOf(join(dataDir, 'regions'))).toBe('700');
    expect(modeOf(join(dataDir, 'secrets'))).toBe('700');
    expect(modeOf(join(dataDir, 'identity.db'))).toBe('600');
    expect(modeOf(join(dataDir, 'secrets', 'unsubscribe-secret'))).toBe('600');
  });

  it('answers a CLI mistake with one line and exit code 2, never a stack trace', async () => {
    root = mkdtempSync(join(tmpdir(), 'email-first-run-'));
    const env = { DATA_DIR: join(root, 'data') };
    const unknown = await runTsx(['src/cli/admin.ts', 'bootstrapp'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command: bootstrapp');
    const missing = await runTsx(
      ['src/cli/admin.ts', 'bootstrap', '--public-key', join(root, 'nope.pem')],
      env,
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^cannot read .*nope\.pem/);
    const badSetting = await runTsx(['src/cli/admin.ts', 'mailbox'], { ...env, HOME_REGION: 'mars-north-1' });
    expect(badSetting.code).toBe(2);
    expect(badSetting.err).toContain('HOME_REGION: unknown region');
    const badLast = await runTsx(['src/cli/admin.ts', 'mailbox', '--last', 'ten'], env);
    expect(badLast.code).toBe(2);
    for (const result of [unknown, missing, badSetting, badLast]) noStackTrace(result.err);
  });
});

describe('a port in use', () => {
  async function occupied(): Promise<{ server: Server; port: number }> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    return { server, port: typeof address === 'object' && address ? address.port : 0 };
  }

  it.each([
    ['SMTP_STARTTLS_PORT', { SMTP_TLS_PORT: '0' }],
    ['SMTP_TLS_PORT', { SMTP_STARTTLS_PORT: '0' }],
    ['PORT', { SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0' }],
  ])('%s: one line naming the setting, exit 2, and nothing left listening', async (setting, others) => {
    root = mkdtempSync(join(tmpdir(), 'email-port-'));
    const { port } = await occupied();
    const env = {
      PORT: '0',
      DATA_DIR: join(root, 'data'),
      DOH_URL: NO_RESOLVER,
      ...others,
      [setting]: String(port),
    };
    const result = await runTsx(['src/server.ts'], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${setting}=${String(port)}: cannot listen on 127.0.0.1:${String(port)}`);
    expect(result.out).not.toContain('listening on');
    noStackTrace(result.err);
  });
});
