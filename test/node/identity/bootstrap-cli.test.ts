import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTsx } from '../../support/tsx-process';
import { afterEach, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../../src/compose/node';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { emailClient, type NodeService } from './node-service';

let dataDir: string;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

it('bootstraps the tenancy and an administrator once, prints one JSON object, and is safe to run twice', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'email-bootstrap-'));
  const keys = await generateKeyPair();
  const keyFile = join(dataDir, 'admin.pem');
  writeFileSync(keyFile, keys.publicKeyPem);

  const first = await runTsx(['src/cli/admin.ts', 'bootstrap', '--public-key', keyFile], {
    DATA_DIR: dataDir,
  });
  expect(first.code).toBe(0);
  const result = JSON.parse(first.out) as Record<string, string>;
  expect(Object.keys(result).sort()).toEqual(['fingerprint', 'keyId', 'tenancyId', 'userId']);
  expect(result.fingerprint).toBe(keys.fingerprint);
  expect(result.keyId).toBe(`${result.tenancyId}/${result.userId}/${keys.fingerprint}`);
  expect(first.err).toContain(`fingerprint=${keys.fingerprint}`);
  expect(first.err).toContain(`tenancy=${result.tenancyId}`);

  const second = await runTsx(['src/cli/admin.ts', 'bootstrap', '--public-key', keyFile], {
    DATA_DIR: dataDir,
  });
  expect(second.code).toBe(0);
  expect(JSON.parse(second.out)).toEqual(result);

  server = await startNodeServer({ PORT: '0', DATA_DIR: dataDir, DOH_URL: 'http://127.0.0.1:1/dns-query' });
  const client = emailClient({ server } as NodeService, {
    tenancyId: result.tenancyId!,
    userId: result.userId!,
    fingerprint: result.fingerprint!,
    keys,
  });
  const listed = await client.listSenders({ compartmentId: result.tenancyId! });
  expect(listed.items).toEqual([]);
  client.close();
});

it('explains its usage and refuses what is not a public key', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'email-bootstrap-'));
  const usage = await runTsx(['src/cli/admin.ts', 'bootstrap'], { DATA_DIR: dataDir });
  expect(usage.code).toBe(2);
  expect(usage.err).toContain('--public-key <pem file>');
  const keyFile = join(dataDir, 'not-a-key.pem');
  writeFileSync(keyFile, 'hello');
  const refused = await runTsx(['src/cli/admin.ts', 'bootstrap', '--public-key', keyFile], {
    DATA_DIR: dataDir,
  });
  expect(refused.code).toBe(2);
  expect(refused.out).toBe('');
  expect(refused.err).toContain('must be an RSA public key in PEM format');
});
