import { and, eq, type SQL } from 'drizzle-orm';
import { nameKey } from '../../domain/identity/names';
import type { Policy, PolicyChanges, PolicyFilter, PolicyRepository } from '../../domain/identity/ports';
import type { Database } from '../database';
import type { IdentityLoaders } from './loaders';
import { toGrant } from './rows';
import { nameOrTimePaging } from '../sql/keyset';
import { iamPolicies } from '../schema';
import { insertOrDuplicate } from '../sql/constraint-failure';

type Row = typeof iamPolicies.$inferSelect;

function toPolicy(row: Row): Policy {
  return {
    id: row.id,
    compartmentId: row.compartmentId,
    name: row.name,
    description: row.description,
    statements: row.statements,
    grants: row.grants.map(toGrant),
    versionDate: row.versionDate === null ? null : new Date(row.versionDate),
    freeformTags: row.freeformTags,
    definedTags: row.definedTags,
    etag: row.etag,
    timeCreated: new Date(row.timeCreated),
  };
}

export function policyRepository(
  db: Database,
  tenancyId: string,
  loaders: IdentityLoaders,
): PolicyRepository {
  const t = iamPolicies;
  const own = (id: string): SQL | undefined => and(eq(t.tenancyId, tenancyId), eq(t.id, id));
  const ownAt = (id: string, etag: string | undefined): SQL | undefined =>
    etag === undefined ? own(id) : and(own(id), eq(t.etag, etag));
  const settleMiss = async (id: string): Promise<'missing' | 'etag-mismatch'> => {
    const [current] = await db.select({ id: t.id }).from(t).where(own(id)).limit(1);
    return current ? 'etag-mismatch' : 'missing';
  };

  return {
    insert: (policy) =>
      insertOrDuplicate(async () => {
        await db.insert(t).values({
          ...policy,
          tenancyId,
          nameKey: nameKey(policy.name),
          versionDate: policy.versionDate?.getTime() ?? null,
          timeCreated: policy.timeCreated.getTime(),
        });
        return policy;
      }),

    async findById(id) {
      const [row] = await db.select().from(t).where(own(id)).limit(1);
      return row ? toPolicy(row) : undefined;
    },

    async list(filter: PolicyFilter, options) {
      const paging = nameOrTimePaging(t, options);
      const named = filter.name === undefined ? undefined : eq(t.name, filter.name);
      const rows = await db
        .select()
        .from(t)
        .where(
          and(eq(t.tenancyId, tenancyId), eq(t.compartmentId, filter.compartmentId), named, paging.after),
        )
        .orderBy(...paging.orderBy)
        .limit(paging.fetch);
      return paging.page(rows, toPolicy);
    },

    async existsIn(compartmentId) {
      const [row] = await db
        .select({ id: t.id })
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), eq(t.compartmentId, compartmentId)))
        .limit(1);
      return row !== undefined;
    },

    async update(id, changes: PolicyChanges, expectedEtag) {
      const { versionDate, ...rest } = changes;
      const [row] = await db
        .update(t)
        .set({
          ...rest,
          ...(versionDate === undefined ? {} : { versionDate: versionDate?.getTime() ?? null }),
        })
        .where(ownAt(id, expectedEtag))
        .returning();
      return row ? toPolicy(row) : settleMiss(id);
    },

    async delete(id, expectedEtag) {
      const removed = await db.delete(t).where(ownAt(id, expectedEtag)).returning({ id: t.id });
      return removed.length > 0 ? 'deleted' : settleMiss(id);
    },

    grants: () => loaders.grants(tenancyId),
  };
}
