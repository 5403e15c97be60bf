import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';

/** Only the owner enters: databases, secrets, keys and captured mail live in such folders. */
export const PRIVATE_DIR_MODE = 0o700;
/** Others may pass through but not list: DATA_DIR and tls/, on the way to the CA certificate clients read. */
export const TRAVERSABLE_DIR_MODE = 0o711;
export const PRIVATE_FILE_MODE = 0o600;
/** The local CA certificate: every local client must be able to read it to trust the SMTP listeners. */
export const PUBLIC_FILE_MODE = 0o644;

/** Creates a folder (and its parents) or tightens an existing one to `mode`, whatever the umask. */
export function ensureDir(path: string, mode: number): void {
  mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
}

/** An empty file with owner-only access before anything is written to it, or an existing one tightened. */
export function ensurePrivateFile(path: string): void {
  if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
  else writeFileSync(path, '', { mode: PRIVATE_FILE_MODE, flag: 'a' });
}

/** A SQLite database file and the journal files beside it, owner-only; SQLite gives new journals the file's mode. */
export function ensurePrivateDatabaseFile(path: string): void {
  ensurePrivateFile(path);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) chmodSync(path + suffix, PRIVATE_FILE_MODE);
  }
}

/** DATA_DIR itself: traversable so the CA certificate under tls/ can be read; nothing in it can be listed. */
export function prepareDataDir(dataDir: string): void {
  ensureDir(dataDir, TRAVERSABLE_DIR_MODE);
}
