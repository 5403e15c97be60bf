import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDeliveryService } from '../delivery/node-support';
import { serviceUser } from './standalone-world';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();

/** Runs src/smtp-ingress.ts (what `npm run ingress` runs) and collects its output until it exits or is stopped. */
function runEntry(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/smtp-ingress.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => void child.kill('SIGKILL'));
  const printed: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => printed.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => printed.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, printed, exited };
}

describe('the standalone ingress entry', () => {
  it('stops with exit code 2 and the reason when INGRESS_API_URL is missing', async () => {
    const { printed, exited } = runEntry({ DOH_URL: 'http://127.0.0.1:1/dns-query' });
    expect(await exited).toBe(2);
    expect(printed.join('\n')).toContain('INGRESS_API_URL');
  });

  it('refuses a private key file it cannot read, without printing the file', async () => {
    const api = await startDeliveryService();
    cleanup.push(() => api.stop());
    const { printed, exited } = runEntry({
      INGRESS_API_URL: api.server.url,
      INGRESS_REGIONS: 'us-phoenix-1',
      INGRESS_TENANCY_ID: api.admin.tenancyId,
      INGRESS_USER_ID: api.admin.userId,
      INGRESS_KEY_FINGERPRINT: api.admin.fingerprint,
      INGRESS_PRIVATE_KEY_FILE: `${api.dataDir}/identity.db`,
      DATA_DIR: api.dataDir,
      SMTP_STARTTLS_PORT: '0',
      SMTP_TLS_PORT: '0',
    });
    expect(await exited).toBe(2);
    expect(printed.join('\n')).toContain('INGRESS_PRIVATE_KEY_FILE');
  });

  it('prints where it listens and where it forwards, and exits 0 on SIGTERM', async () => {
    const api = await startDeliveryService();
    cleanup.push(() => api.stop());
    const user = await serviceUser(api, 'smtp-ingress', []);
    const keyFile = join(api.dataDir, 'ingress_key.pem');
    writeFileSync(keyFile, user.keys.privateKeyPem, { mode: 0o600 });
    const { child, printed, exited } = runEntry({
      INGRESS_API_URL: api.server.url,
      INGRESS_REGIONS: 'us-phoenix-1',
      INGRESS_TENANCY_ID: user.tenancyId,
      INGRESS_USER_ID: user.userId,
      INGRESS_KEY_FINGERPRINT: user.fingerprint,
      INGRESS_PRIVATE_KEY_FILE: keyFile,
      DATA_DIR: join(api.dataDir, 'ingress'),
      SMTP_STARTTLS_PORT: '0',
      SMTP_TLS_PORT: '0',
    });
    await expect
      .poll(() => printed.some((line) => line.startsWith('forwarding to')), { timeout: 10_000 })
      .toBe(true);
    expect(printed.some((line) => line.startsWith('SMTP submission for us-phoenix-1'))).toBe(true);
    expect(printed.join('\n')).not.toContain('PRIVATE KEY');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses plain http to anything but the loopback address', async () => {
    const { printed, exited } = runEntry({
      INGRESS_API_URL: 'http://api.example.net',
      INGRESS_REGIONS: 'us-phoenix-1',
    });
    expect(await exited).toBe(2);
    expect(printed.join('\n')).toContain('must be https');
  });
});
