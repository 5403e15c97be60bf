import { and, eq, type SQL } from 'drizzle-orm';
import { nameKey } from '../domain/identity/names';
import type { NameFilter, User, UserRepository } from '../domain/identity/ports';
import type { Database } from './database';
import { nameOrTimePaging } from './keyset';
import { iamApiKeys, iamSmtpCredentials, iamUsers } from './schema';
import { insertOrDuplicate } from './unique-violation';

type Row = typeof iamUsers.$inferSelect;

function toUser(row: Row): User {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    email: row.email,
    freeformTags: row.freeformTags,
    definedTags: row.definedTags,
    etag: row.etag,
    timeCreated: new Date(row.timeCreated),
  };
}

export function userRepository(db: Database, tenancyId: string): UserRepository {
  const t = iamUsers;
  const own = (id: string): SQL | undefined => and(eq(t.tenancyId, tenancyId), eq(t.id, id));

  return {
    insert: (user) =>
      insertOrDuplicate(async () => {
        await db.insert(t).values({
          ...user,
          tenancyId,
          nameKey: nameKey(user.name),
          timeCreated: user.timeCreated.getTime(),
        });
        return user;
      }),

    async findById(id) {
      const [row] = await db.select().from(t).where(own(id)).limit(1);
      return row ? toUser(row) : undefined;
    },

    async findByName(name) {
      const [row] = await db
        .select()
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), eq(t.nameKey, nameKey(name))))
        .limit(1);
      return row ? toUser(row) : undefined;
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
      return paging.page(rows, toUser);
    },

    async delete(id, expectedEtag) {
      const [current] = await db.select({ etag: t.etag }).from(t).where(own(id)).limit(1);
      if (!current) return 'missing';
      if (expectedEtag !== undefined && current.etag !== expectedEtag) return 'etag-mismatch';
      // Keys go first: from this statement on, nothing the user signs is accepted.
      await db.delete(iamApiKeys).where(and(eq(iamApiKeys.tenancyId, tenancyId), eq(iamApiKeys.userId, id)));
      await db
        .delete(iamSmtpCredentials)
        .where(and(eq(iamSmtpCredentials.tenancyId, tenancyId), eq(iamSmtpCredentials.userId, id)));
      const removed = await db.delete(t).where(own(id)).returning({ id: t.id });
      return removed.length > 0 ? 'deleted' : 'missing';
    },
  };
}
