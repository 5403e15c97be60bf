import { and, eq, ne, type SQL } from 'drizzle-orm';
import type {
  Compartment,
  CompartmentFilter,
  CompartmentRepository,
  CompartmentState,
} from '../../domain/identity/ports';
import { nameKey } from '../../domain/identity/names';
import type { Database } from '../database';
import { nameOrTimePaging } from '../sql/keyset';
import { iamCompartments } from '../schema';
import { insertOrDuplicate } from '../sql/constraint-failure';

type Row = typeof iamCompartments.$inferSelect;

function toCompartment(row: Row): Compartment {
  return {
    id: row.id,
    parentId: row.parentId,
    name: row.name,
    description: row.description,
    lifecycleState: row.lifecycleState as CompartmentState,
    freeformTags: row.freeformTags,
    definedTags: row.definedTags,
    etag: row.etag,
    timeCreated: new Date(row.timeCreated),
  };
}

export function compartmentRepository(db: Database, tenancyId: string): CompartmentRepository {
  const t = iamCompartments;
  const own = (id: string): SQL | undefined => and(eq(t.tenancyId, tenancyId), eq(t.id, id));
  const live = (id: string): SQL | undefined => and(own(id), eq(t.lifecycleState, 'ACTIVE'));

  return {
    insert: (compartment) =>
      insertOrDuplicate(async () => {
        await db.insert(t).values({
          ...compartment,
          tenancyId,
          nameKey: nameKey(compartment.name),
          timeCreated: compartment.timeCreated.getTime(),
        });
        return compartment;
      }),

    async findById(id) {
      const [row] = await db.select().from(t).where(own(id)).limit(1);
      return row ? toCompartment(row) : undefined;
    },

    async findLiveChild(parentId, name) {
      const [row] = await db
        .select()
        .from(t)
        .where(
          and(
            eq(t.tenancyId, tenancyId),
            eq(t.parentId, parentId),
            eq(t.nameKey, nameKey(name)),
            eq(t.lifecycleState, 'ACTIVE'),
          ),
        )
        .limit(1);
      return row ? toCompartment(row) : undefined;
    },

    async list(filter: CompartmentFilter, options) {
      const clauses: (SQL | undefined)[] = [eq(t.tenancyId, tenancyId)];
      if (filter.parentId !== undefined) clauses.push(eq(t.parentId, filter.parentId));
      if (filter.name !== undefined) clauses.push(eq(t.name, filter.name));
      clauses.push(
        filter.lifecycleState ? eq(t.lifecycleState, filter.lifecycleState) : ne(t.lifecycleState, 'DELETED'),
      );
      const paging = nameOrTimePaging(t, options);
      const rows = await db
        .select()
        .from(t)
        .where(and(...clauses, paging.after))
        .orderBy(...paging.orderBy)
        .limit(paging.fetch);
      return paging.page(rows, toCompartment);
    },

    async hasLiveChildren(id) {
      const [row] = await db
        .select({ id: t.id })
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), eq(t.parentId, id), eq(t.lifecycleState, 'ACTIVE')))
        .limit(1);
      return row !== undefined;
    },

    async markDeleted(id, etag, expectedEtag) {
      const [row] = await db
        .update(t)
        .set({ lifecycleState: 'DELETED', etag })
        .where(expectedEtag === undefined ? live(id) : and(live(id), eq(t.etag, expectedEtag)))
        .returning();
      if (row) return toCompartment(row);
      const [current] = await db.select({ id: t.id }).from(t).where(live(id)).limit(1);
      return current ? 'etag-mismatch' : 'missing';
    },
  };
}
