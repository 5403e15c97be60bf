/** D1 binds at most 100 parameters per statement: how many rows of `columns` fit in one insert. */
export function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.floor(D1_MAX_BOUND_PARAMETERS / columns));
}

export const D1_MAX_BOUND_PARAMETERS = 100;

/** Values an IN list binds at most, leaving room for the statement's other parameters. */
export const MAX_IN_LIST = 90;

/** `items` in consecutive groups of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The first of each group of items with the same key, in order: one lookup answers them all. */
export function distinctBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.values()];
}
