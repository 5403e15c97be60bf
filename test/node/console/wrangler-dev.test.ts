import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const wrangler = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
);

let dir: string;
let dev: ChildProcess | undefined;
let browser: Browser | undefined;
let url: string;
let password: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

function admin(args: string[]): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
    env: ENV,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`admin ${args[0] ?? ''} failed: ${run.stderr}`);
  return run.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'email-wrangler-dev-'));
  const state = join(dir, 'state');
  for (const binding of ['DB_IDENTITY', 'DB_PHX', 'DB_IAD']) {
    const migrate = spawnSync(
      process.execPath,
      [wrangler, 'd1', 'migrations', 'apply', binding, '--local', '--persist-to', state],
      { env: ENV, encoding: 'utf8' },
    );
    if (migrate.status !== 0) throw new Error(`migrating ${binding}: ${migrate.stderr}`);
  }
  const keys = await generateKeyPair();
  writeFileSync(join(dir, 'admin.pem'), keys.publicKeyPem);
  admin(['bootstrap', '--public-key', join(dir, 'admin.pem'), '--d1', 'local', '--persist-to', state]);
  password = (
    JSON.parse(admin(['console-password', '--d1', 'local', '--persist-to', state])) as { password: string }
  ).password;

  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  dev = spawn(
    process.execPath,
    [
      wrangler,
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      state,
      '--var',
      'SECRETS_KEY:a-wrangler-dev-secrets-key-of-32+chars',
      '--var',
      'DOH_URL:http://127.0.0.1:1/dns-query',
    ],
    { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    dev?.stdout?.on('data', read);
    dev?.stderr?.on('data', read);
    dev?.once('exit', (code) => reject(new Error(`wrangler dev exited with ${String(code)}:\n${output}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (dev && dev.exitCode === null) {
    dev.kill('SIGTERM');
    await new Promise((resolve) => dev?.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

it('signs in, creates and lists approved senders on Workers with D1 (wrangler dev)', async () => {
  const page = await (await browser!.newContext()).newPage();
  await page.goto(`${url}/console/sign-in`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\/senders/);
  await page.getByRole('link', { name: 'Create Approved Sender' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Approved Sender' });
  await dialog.getByLabel('Email address').fill('edge@workers.example');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/done=created/);
  expect(await page.getByRole('cell', { name: 'edge@workers.example', exact: true }).isVisible()).toBe(true);
  await page.goto(`${url}/console/senders?region=us-ashburn-1`);
  // Another region holds none of Phoenix's senders.
  expect(await page.getByRole('cell', { name: 'edge@workers.example', exact: true }).count()).toBe(0);
}, 60_000);
