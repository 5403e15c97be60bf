import { createClient, type Client, type InArgs } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Coalescing } from '../store/sql/coalescer';
import type { DriverRow, RunBatch, SqlDatabase } from '../store/database';
import { schema, type Schema } from '../store/schema';
import { ensureDir, ensurePrivateDatabaseFile, PRIVATE_DIR_MODE } from './data-dir';

/** In Node, requests that reach the store in the same event-loop turn share its statements. */
export const NODE_COALESCING: Coalescing = { nextTurn: (flush) => setImmediate(flush) };

const WAL_CHECKPOINT_PAGES = 10_000;
const BUSY_TIMEOUT_MS = 5_000;

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface LibsqlDatabase extends SqlDatabase {
  db: LibSQLDatabase<Schema>;
  client: Client;
}

/** Compiled statements as one libSQL write batch, which runs them as one transaction. */
const libsqlBatch =
  (client: Client): RunBatch =>
  async (statements) => {
    const results = await client.batch(
      statements.map((s) => ({ sql: s.sql, args: s.params as InArgs })),
      'write',
    );
    return results.map((result) => result.rows as unknown as DriverRow[]);
  };

/** A libSQL client as the stores take it. */
export const libsqlDatabase = (client: Client): LibsqlDatabase => ({
  db: drizzle(client, { schema }),
  client,
  batch: libsqlBatch(client),
});

export interface LibsqlLocation {
  url: string;
  authToken?: string | undefined;
}

/** Opens (creating if needed) a libSQL database and applies the committed migrations. */
export async function openLibsql(location: LibsqlLocation): Promise<LibsqlDatabase> {
  if (location.url.startsWith('file:')) {
    const path = location.url.slice('file:'.length);
    if (!existsSync(dirname(path))) ensureDir(dirname(path), PRIVATE_DIR_MODE);
    // Created owner-only before libSQL opens it: it holds password hashes, keys and mail.
    ensurePrivateDatabaseFile(path);
  }
  const client = createClient({
    url: location.url,
    ...(location.authToken ? { authToken: location.authToken } : {}),
    // Waits this long for another writer (a second process, an operator's shell) instead of failing at once.
    timeout: BUSY_TIMEOUT_MS,
    // One connection per file, so the pragmas below hold for every statement: a pool would open connections
    // without them. Statements on a file run one at a time on the event loop anyway.
    ...(location.url.startsWith('file:') ? { concurrency: 1 } : {}),
  });
  if (location.url.startsWith('file:')) {
    // WAL with synchronous=NORMAL survives process crashes and avoids a disk sync per statement.
    await client.execute('PRAGMA journal_mode=WAL');
    await client.execute('PRAGMA synchronous=NORMAL');
    // Checkpoint every 10,000 WAL pages (about 40 MB) instead of 1,000: an index page written by many
    // commits in between is copied into the database once, and the checkpoint's disk sync comes less often.
    await client.execute(`PRAGMA wal_autocheckpoint=${String(WAL_CHECKPOINT_PAGES)}`);
  }
  const database = libsqlDatabase(client);
  await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
  return database;
}
