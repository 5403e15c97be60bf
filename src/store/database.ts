import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Schema } from './schema';

/** What the stores query through: drizzle over libSQL or D1, both asynchronous SQLite. */
export type Database = BaseSQLiteDatabase<'async', unknown, Schema>;

/** A statement as drizzle compiles it: SQL text and the values it binds, in order. */
export interface CompiledStatement {
  sql: string;
  params: unknown[];
}

/** A row as the driver returns it, by column name. */
export type DriverRow = Record<string, unknown>;

/**
 * Runs compiled statements as one transaction on the driver's own batch (a libSQL write batch, or a D1
 * batch, which D1 runs as one transaction); answers each statement's rows, for those with RETURNING.
 */
export type RunBatch = (statements: readonly CompiledStatement[]) => Promise<DriverRow[][]>;

/** A database as the stores take it from the platform that opened it: the query builder and its driver's batch. */
export interface SqlDatabase {
  db: Database;
  batch: RunBatch;
}
