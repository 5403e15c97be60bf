import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openLocalD1Identity } from '../../../src/cli/local-d1-identity';
import { iamApiKeys, iamTenancies } from '../../../src/store/schema';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function bootstrap(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', 'bootstrap', ...args], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

it('bootstraps into the local D1 identity database that `wrangler dev` uses, once', async () => {
  dir = mkdtempSync(join(tmpdir(), 'email-d1-bootstrap-'));
  const keys = await generateKeyPair();
  const keyFile = join(dir, 'admin.pem');
  writeFileSync(keyFile, keys.publicKeyPem);
  const args = ['--public-key', keyFile, '--d1', 'local', '--persist-to', join(dir, 'state')];

  const first = await bootstrap(args);
  expect(first.code, first.err).toBe(0);
  const result = JSON.parse(first.out) as { tenancyId: string; fingerprint: string };
  expect(result.fingerprint).toBe(keys.fingerprint);
  const second = await bootstrap(args);
  expect(JSON.parse(second.out)).toEqual(result);

  const d1 = await openLocalD1Identity(join(dir, 'state'));
  try {
    expect((await d1.db.select().from(iamTenancies)).map((t) => t.id)).toEqual([result.tenancyId]);
    expect((await d1.db.select().from(iamApiKeys)).map((k) => k.fingerprint)).toEqual([keys.fingerprint]);
  } finally {
    await d1.close();
  }
}, 60_000);

it('refuses a --d1 target it cannot write', async () => {
  dir = mkdtempSync(join(tmpdir(), 'email-d1-bootstrap-'));
  const result = await bootstrap(['--public-key', 'x.pem', '--d1', 'remote']);
  expect(result.code).toBe(2);
});
