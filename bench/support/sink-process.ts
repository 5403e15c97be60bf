import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadOrCreateLocalTls } from '../../src/platform/local-ca';

/**
 * A TLS sink in its own process, so the client side under measurement has a core to itself; its certificate
 * comes from a local CA in a fresh folder, whose certificate (`ca`) the clients trust.
 */
export async function startSinkProcess(): Promise<{ port: number; ca: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sink-'));
  const { caCert } = await loadOrCreateLocalTls(dir);
  const script = fileURLToPath(new URL('./sink-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sink exited with ${code}`)));
  });
  return {
    port: Number(first),
    ca: caCert,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.stdin.end();
      }),
  };
}
