import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openDialog } from './smtp-dialog';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();

describe('npm start (src/server.ts) with the SMTP ingress', () => {
  it('creates a local CA under DATA_DIR, prints where it is and where SMTP listens, and serves TLS from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'email-ingress-start-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dir,
        REGIONS: 'us-phoenix-1',
        DOH_URL: 'http://127.0.0.1:1/dns-query',
        RELAY_URL: 'smtps://127.0.0.1:1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => child.kill('SIGKILL'));
    const printed: string[] = [];
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve) =>
      lines.on('line', (line) => {
        printed.push(line);
        if (line.includes('clients must trust')) resolve();
      }),
    );
    const caFile = join(dir, 'tls', 'ca-cert.pem');
    expect(existsSync(caFile)).toBe(true);
    expect(printed).toContain(`SMTP TLS certificate from the local CA: clients must trust ${caFile}`);
    const listening = printed.find((line) => line.startsWith('SMTP submission for us-phoenix-1'));
    const [, starttls, implicit] =
      /STARTTLS on 127\.0\.0\.1:(\d+), implicit TLS on 127\.0\.0\.1:(\d+)$/.exec(listening ?? '') ?? [];
    const dialog = await openDialog(Number(implicit), { implicit: true, ca: readFileSync(caFile, 'utf8') });
    expect(dialog.greeting.code).toBe(220);
    dialog.close();
    const plain = await openDialog(Number(starttls), { implicit: false });
    expect((await plain.command('EHLO client.test')).lines).toContain('STARTTLS');
    plain.close();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
