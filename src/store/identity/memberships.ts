import { and, eq, type SQL } from 'drizzle-orm';
import type { Membership, MembershipFilter, MembershipRepository } from '../../domain/identity/ports';
import type { Database } from '../database';
import type { IdentityLoaders } from './loaders';
import { keysetClauses, toPage } from '../sql/keyset';
import { iamMemberships } from '../schema';
import { insertOrDuplicate } from '../sql/constraint-failure';

type Row = typeof iamMemberships.$inferSelect;

function toMembership(row: Row): Membership {
  return { id: row.id, userId: row.userId, groupId: row.groupId, timeCreated: new Date(row.timeCreated) };
}

export function membershipRepository(
  db: Database,
  tenancyId: string,
  loaders: IdentityLoaders,
): MembershipRepository {
  const t = iamMemberships;
  const own = (id: string): SQL | undefined => and(eq(t.tenancyId, tenancyId), eq(t.id, id));
  const filtered = (filter: MembershipFilter): (SQL | undefined)[] => [
    eq(t.tenancyId, tenancyId),
    filter.userId === undefined ? undefined : eq(t.userId, filter.userId),
    filter.groupId === undefined ? undefined : eq(t.groupId, filter.groupId),
  ];

  return {
    insert: (membership) =>
      insertOrDuplicate(async () => {
        await db
          .insert(t)
          .values({ ...membership, tenancyId, timeCreated: membership.timeCreated.getTime() });
        return membership;
      }),

    async findById(id) {
      const [row] = await db.select().from(t).where(own(id)).limit(1);
      return row ? toMembership(row) : undefined;
    },

    async list(filter, options) {
      const { after, orderBy } = keysetClauses(t.timeCreated, t.id, options);
      const rows = await db
        .select()
        .from(t)
        .where(and(...filtered(filter), after))
        .orderBy(...orderBy)
        .limit(options.limit + 1);
      return toPage(
        rows,
        options.limit,
        (r) => r.timeCreated,
        (r) => r.id,
        toMembership,
      );
    },

    async exists(filter) {
      const [row] = await db
        .select({ id: t.id })
        .from(t)
        .where(and(...filtered(filter)))
        .limit(1);
      return row !== undefined;
    },

    async delete(id) {
      const removed = await db.delete(t).where(own(id)).returning({ id: t.id });
      return removed.length > 0;
    },

    groupNamesOf: (userId) => loaders.groupNames({ tenancyId, userId }),
  };
}
