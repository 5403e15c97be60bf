import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, ensurePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir';

const SECRET_BYTES = 32;

/**
 * A secret `npm start` uses when its setting is unset: generated once into DATA_DIR/secrets/<name> (mode
 * 0600), so what it protects (unsubscribe links, sealed webhook secrets, the metrics token) outlives restarts.
 */
export function localSecret(dataDir: string, name: string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  ensureDir(dir, PRIVATE_DIR_MODE);
  if (existsSync(file)) {
    ensurePrivateFile(file);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return secret;
}
