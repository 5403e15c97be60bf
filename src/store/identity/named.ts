import { and, eq, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { nameKey } from '../../domain/identity/names';
import type { IdentityListOptions, NamedIdentity, NameFilter } from '../../domain/identity/ports';
import type { Page } from '../../values/page';
import { nameOrTimePaging } from '../sql/keyset';
import { insertOrDuplicate } from '../sql/constraint-failure';

interface NamedColumns {
  id: SQLiteColumn;
  tenancyId: SQLiteColumn;
  name: SQLiteColumn;
  nameKey: SQLiteColumn;
  timeCreated: SQLiteColumn;
}

type NamedRow = Omit<NamedIdentity, 'timeCreated'> & { timeCreated: number };

/** `db.select().from(table)`, as far as these reads use it. */
interface RowQuery<Row> {
  where(where: SQL | undefined): {
    orderBy(...orderBy: SQL[]): { limit(limit: number): PromiseLike<Row[]> };
  };
}

/** One identity table whose entities have a unique name per tenancy (users, groups). */
export interface NamedTable<Row extends NamedRow, Entity extends NamedIdentity> {
  columns: NamedColumns;
  rows(): RowQuery<Row>;
  insert(
    row: Omit<Entity, 'timeCreated'> & { tenancyId: string; nameKey: string; timeCreated: number },
  ): PromiseLike<unknown>;
  toEntity(row: Row): Entity;
}

/** A row's fields as users and groups have them. */
export const namedIdentity = (row: NamedRow): NamedIdentity => ({
  id: row.id,
  name: row.name,
  description: row.description,
  freeformTags: row.freeformTags,
  definedTags: row.definedTags,
  etag: row.etag,
  timeCreated: new Date(row.timeCreated),
});

/** What a tenancy's users and groups repositories have in common: insert, find by id or name, list. */
export function namedEntities<Row extends NamedRow, Entity extends NamedIdentity>(
  table: NamedTable<Row, Entity>,
  tenancyId: string,
) {
  const t = table.columns;
  const own = (id: string): SQL | undefined => and(eq(t.tenancyId, tenancyId), eq(t.id, id));
  const first = async (where: SQL | undefined): Promise<Entity | undefined> => {
    const [row] = await table.rows().where(where).orderBy().limit(1);
    return row ? table.toEntity(row) : undefined;
  };
  return {
    own,
    insert: (entity: Entity): Promise<Entity | 'duplicate'> =>
      insertOrDuplicate(async () => {
        await table.insert({
          ...entity,
          tenancyId,
          nameKey: nameKey(entity.name),
          timeCreated: entity.timeCreated.getTime(),
        });
        return entity;
      }),
    findById: (id: string) => first(own(id)),
    findByName: (name: string) => first(and(eq(t.tenancyId, tenancyId), eq(t.nameKey, nameKey(name)))),
    async list(filter: NameFilter, options: IdentityListOptions): Promise<Page<Entity>> {
      const paging = nameOrTimePaging(t, options);
      const named = filter.name === undefined ? undefined : eq(t.name, filter.name);
      const rows = await table
        .rows()
        .where(and(eq(t.tenancyId, tenancyId), named, paging.after))
        .orderBy(...paging.orderBy)
        .limit(paging.fetch);
      return paging.page(rows, (row) => table.toEntity(row));
    },
  };
}
