import { and, eq, type SQL } from 'drizzle-orm';
import { nameKey } from '../domain/identity/names';
import type { Group, GroupRepository, NameFilter } from '../domain/identity/ports';
import type { Database } from './database';
import { nameOrTimePaging } from './keyset';
import { iamGroups } from './schema';
import { insertOrDuplicate } from './unique-violation';

type Row = typeof iamGroups.$inferSelect;

function toGroup(row: Row): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    freeformTags: row.freeformTags,
    definedTags: row.definedTags,
    etag: row.etag,
    timeCreated: new Date(row.timeCreated),
  };
}

export function groupRepository(db: Database, tenancyId: string): GroupRepository {
  const t = iamGroups;
  const own = (id: string): SQL | undefined => and(eq(t.tenancyId, tenancyId), eq(t.id, id));

  return {
    insert: (group) =>
      insertOrDuplicate(async () => {
        await db.insert(t).values({
          ...group,
          tenancyId,
          nameKey: nameKey(group.name),
          timeCreated: group.timeCreated.getTime(),
        });
        return group;
      }),

    async findById(id) {
      const [row] = await db.select().from(t).where(own(id)).limit(1);
      return row ? toGroup(row) : undefined;
    },

    async findByName(name) {
      const [row] = await db
        .select()
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), eq(t.nameKey, nameKey(name))))
        .limit(1);
      return row ? toGroup(row) : undefined;
    },

    async list(filter: NameFilter, options) {
      const paging = nameOrTimePaging(t, options);
      const named = filter.name === undefined ? undefined : eq(t.name, filter.name);
      const rows = await db
        .select()
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), named, paging.after))
        .orderBy(...paging.orderBy)
        .limit(paging.fetch);
      return paging.page(rows, toGroup);
    },

    async delete(id, expectedEtag) {
      const condition = expectedEtag === undefined ? own(id) : and(own(id), eq(t.etag, expectedEtag));
      const removed = await db.delete(t).where(condition).returning({ id: t.id });
      if (removed.length > 0) return 'deleted';
      const [current] = await db.select({ id: t.id }).from(t).where(own(id)).limit(1);
      return current ? 'etag-mismatch' : 'missing';
    },
  };
}
