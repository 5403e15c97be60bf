import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, ensurePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir';

const SECRET_BYTES = 32;

/**
 * The unsubscribe HMAC key `npm start` uses when UNSUBSCRIBE_SECRET is unset: generated once into
 * DATA_DIR/secrets/unsubscribe-secret (mode 0600), so links stay valid across restarts.
 */
export function localUnsubscribeSecret(dataDir: string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'unsubscribe-secret');
  ensureDir(dir, PRIVATE_DIR_MODE);
  if (existsSync(file)) {
    ensurePrivateFile(file);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return secret;
}
