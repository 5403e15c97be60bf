import { fillPlaceholders, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { CompiledStatement, Database } from '../database';

const compiled = new Map<string, CompiledStatement>();

/** What drizzle compiled under `key`, compiled by `build` the first time. */
function compiledUnder(key: string, build: () => CompiledStatement): CompiledStatement {
  let built = compiled.get(key);
  if (!built) {
    built = build();
    compiled.set(key, built);
  }
  return built;
}

/**
 * A multi-row INSERT of complete rows whose SQL drizzle writes once per row count; each call binds the
 * rows' values as drizzle would (through each column's driver mapping). Building it through the query
 * builder every time costs about 20 µs per row of 18 columns, more than the database takes to write it.
 */
export function compiledInsert<T extends SQLiteTable>(
  db: Database,
  table: T,
  rows: readonly T['$inferInsert'][],
): CompiledStatement {
  const columns = Object.entries(getTableColumns(table));
  const params = rows.flatMap((row) =>
    columns.map(([key, column]) => {
      const value = (row as Record<string, unknown>)[key];
      // drizzle writes a column left out as a literal, not a bound value: the text would not fit
      if (value === undefined) {
        throw new Error(`${getTableName(table)}.${key}: a compiled insert needs every column of every row`);
      }
      return value === null ? null : column.mapToDriverValue(value);
    }),
  );
  const built = compiledUnder(`insert ${getTableName(table)} ${String(rows.length)}`, () => {
    const first = db
      .insert(table)
      .values([...rows])
      .toSQL();
    if (JSON.stringify(first.params) !== JSON.stringify(params)) {
      throw new Error(`${getTableName(table)}: drizzle binds the values in another order`);
    }
    return { sql: first.sql, params: [] }; // the text only: these rows' values are not to be kept
  });
  return { sql: built.sql, params };
}

/**
 * A statement drizzle compiles once under `key` (its `sql.placeholder`s as they are), bound to `values`
 * on each call.
 */
export function compiledOnce(
  key: string,
  build: () => CompiledStatement,
  values: Record<string, unknown>,
): CompiledStatement {
  const built = compiledUnder(key, build);
  return { sql: built.sql, params: fillPlaceholders(built.params, values) };
}
