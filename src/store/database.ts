import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Schema } from './schema';

/** What the stores need of a database: drizzle over libSQL or D1, both asynchronous SQLite. */
export type Database = BaseSQLiteDatabase<'async', unknown, Schema>;
