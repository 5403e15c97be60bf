import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_BYTES = 32;

/**
 * The unsubscribe HMAC key `npm start` uses when UNSUBSCRIBE_SECRET is unset: generated once into
 * DATA_DIR/secrets/unsubscribe-secret (mode 0600), so links stay valid across restarts.
 */
export function localUnsubscribeSecret(dataDir: string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'unsubscribe-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
