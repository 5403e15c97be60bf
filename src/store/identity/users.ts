import { and, eq } from 'drizzle-orm';
import type { User, UserRepository } from '../../domain/identity/ports';
import type { Database } from '../database';
import { namedEntities, namedIdentity } from './named';
import { iamApiKeys, iamSmtpCredentials, iamUiPasswords, iamUsers } from '../schema';

export function userRepository(db: Database, tenancyId: string): UserRepository {
  const t = iamUsers;
  const { own, ...named } = namedEntities<typeof t.$inferSelect, User>(
    {
      columns: t,
      rows: () => db.select().from(t),
      insert: (row) => db.insert(t).values(row),
      toEntity: (row) => ({ ...namedIdentity(row), email: row.email }),
    },
    tenancyId,
  );

  return {
    ...named,
    async delete(id, expectedEtag) {
      const [current] = await db.select({ etag: t.etag }).from(t).where(own(id)).limit(1);
      if (!current) return 'missing';
      if (expectedEtag !== undefined && current.etag !== expectedEtag) return 'etag-mismatch';
      // Keys go first: from this statement on, nothing the user signs is accepted.
      await db.delete(iamApiKeys).where(and(eq(iamApiKeys.tenancyId, tenancyId), eq(iamApiKeys.userId, id)));
      await db
        .delete(iamSmtpCredentials)
        .where(and(eq(iamSmtpCredentials.tenancyId, tenancyId), eq(iamSmtpCredentials.userId, id)));
      await db
        .delete(iamUiPasswords)
        .where(and(eq(iamUiPasswords.tenancyId, tenancyId), eq(iamUiPasswords.userId, id)));
      const removed = await db.delete(t).where(own(id)).returning({ id: t.id });
      return removed.length > 0 ? 'deleted' : 'missing';
    },
  };
}
