import { drizzle } from 'drizzle-orm/d1';
import type { DriverRow, SqlDatabase } from '../store/database';
import { schema } from '../store/schema';

/** What the stores need of a D1 binding (its full type belongs to the Worker's generated types). */
export interface D1Binding {
  prepare(sql: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<{ results?: unknown[] }[]>;
}

/** A D1 database as the stores take it: compiled statements run as one D1 batch, which D1 runs as one transaction. */
export function d1Database(binding: D1Binding): SqlDatabase {
  return {
    db: drizzle(binding as Parameters<typeof drizzle>[0], { schema }),
    async batch(statements) {
      const results = await binding.batch(statements.map((s) => binding.prepare(s.sql).bind(...s.params)));
      return results.map((result) => (result.results ?? []) as DriverRow[]);
    },
  };
}
