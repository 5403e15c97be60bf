import { and, asc, desc, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { ListOptions, Page, PagePosition } from '../../values/page';

/** The WHERE fragment and ORDER BY that continue a keyset page after `options.position`. */
export function keysetClauses(
  sortColumn: SQLiteColumn,
  idColumn: SQLiteColumn,
  options: Pick<ListOptions, 'sortOrder' | 'position'>,
): { after: SQL | undefined; orderBy: SQL[] } {
  const ascending = options.sortOrder === 'ASC';
  const beyond = ascending ? gt : lt;
  const direction = ascending ? asc : desc;
  const position = options.position?.after;
  const after = position
    ? or(beyond(sortColumn, position[0]), and(eq(sortColumn, position[0]), beyond(idColumn, position[1])))
    : undefined;
  return { after, orderBy: [direction(sortColumn), direction(idColumn)] };
}

/** Turns `limit + 1` fetched rows into a page, remembering where the next one starts. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  sortKey: (row: Row) => string | number,
  id: (row: Row) => string,
  map: (row: Row) => Item,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const next: PagePosition | undefined =
    rows.length > limit && last !== undefined ? { after: [sortKey(last), id(last)] } : undefined;
  return next ? { items: pageRows.map(map), next } : { items: pageRows.map(map) };
}

interface NamedColumns {
  id: SQLiteColumn;
  name: SQLiteColumn;
  timeCreated: SQLiteColumn;
}

interface NamedRow {
  id: string;
  name: string;
  timeCreated: number;
}

/** Keyset paging for lists sorted by NAME, ID or TIMECREATED, the id breaking ties. */
export function nameOrTimePaging(columns: NamedColumns, options: ListOptions<'NAME' | 'TIMECREATED' | 'ID'>) {
  const byName = options.sortBy === 'NAME';
  const byId = options.sortBy === 'ID';
  const sortColumn = byName ? columns.name : byId ? columns.id : columns.timeCreated;
  const { after, orderBy } = keysetClauses(sortColumn, columns.id, options);
  return {
    after,
    orderBy,
    /** One row more than the page, to know whether another follows. */
    fetch: options.limit + 1,
    page: <Row extends NamedRow, Item>(rows: Row[], map: (row: Row) => Item): Page<Item> =>
      toPage(
        rows,
        options.limit,
        (row) => (byName ? row.name : byId ? row.id : row.timeCreated),
        (row) => row.id,
        map,
      ),
  };
}

/** Keyset paging by creation time, the id breaking ties: the `page` turns `fetch` rows into a page. */
export function timePaging(
  columns: Pick<NamedColumns, 'id' | 'timeCreated'>,
  options: ListOptions<'TIMECREATED'>,
) {
  const { after, orderBy } = keysetClauses(columns.timeCreated, columns.id, options);
  return {
    after,
    orderBy,
    fetch: options.limit + 1,
    page: <Row extends Omit<NamedRow, 'name'>, Item>(rows: Row[], map: (row: Row) => Item): Page<Item> =>
      toPage(
        rows,
        options.limit,
        (row) => row.timeCreated,
        (row) => row.id,
        map,
      ),
  };
}
