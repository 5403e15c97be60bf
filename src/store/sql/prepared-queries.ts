import { and, eq, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Database } from '../database';

/**
 * Queries drizzle builds once per database and shape (how many keys one lookup carries), then runs with
 * the placeholders bound: building a query through drizzle costs more than SQLite takes to answer these
 * lookups, and the coalesced reads of every request make one each.
 */
export function preparedPerShape<Q>(
  build: (db: Database, size: number) => Q,
): (db: Database, size: number) => Q {
  const kept = new WeakMap<Database, Map<number, Q>>();
  return (db, size) => {
    const bySize = kept.get(db) ?? new Map<number, Q>();
    kept.set(db, bySize);
    let query = bySize.get(size);
    if (query === undefined) {
      query = build(db, size);
      bySize.set(size, query);
    }
    return query;
  };
}

/** The placeholder of field `field` of the `index`th key, as `bindKeys` names its value. */
export const slot = (field: string, index: number): Placeholder =>
  sql.placeholder(`${field}${String(index)}`);

/** Values for the placeholders `slot` makes: each key's `fields` under `${field}${index}`, absent as NULL. */
export function bindKeys<K>(
  keys: readonly K[],
  fields: readonly (keyof K & string)[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  keys.forEach((key, index) => {
    for (const field of fields) values[`${field}${String(index)}`] = key[field] ?? null;
  });
  return values;
}

/** 0, 1, ..., size - 1: the keys a query of this shape has room for. */
export const indices = (size: number): number[] => Array.from({ length: size }, (_, i) => i);

/**
 * Rows that match any of `size` keys: `(a = :a0 AND b = :b0) OR (a = :a1 AND b = :b1) ...`, each field compared
 * with its column; bound by `bindKeys` with the same field names.
 */
export const matchingAnyKey = (size: number, columns: Record<string, SQLiteColumn>): SQL | undefined =>
  or(
    ...indices(size).map((i) =>
      and(...Object.entries(columns).map(([field, column]) => eq(column, slot(field, i)))),
    ),
  );
