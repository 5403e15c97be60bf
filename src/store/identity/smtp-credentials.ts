import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { SmtpCredential, SmtpCredentialRepository } from '../../domain/identity/ports';
import type { Database } from '../database';
import { iamSmtpCredentials } from '../schema';

type Row = typeof iamSmtpCredentials.$inferSelect;

export function toSmtpCredential(row: Row): SmtpCredential {
  return {
    id: row.id,
    userId: row.userId,
    username: row.username,
    description: row.description,
    passwordHash: row.passwordHash,
    etag: row.etag,
    timeCreated: new Date(row.timeCreated),
  };
}

export function smtpCredentialRepository(db: Database, tenancyId: string): SmtpCredentialRepository {
  const t = iamSmtpCredentials;
  const own = (userId: string, id: string): SQL | undefined =>
    and(eq(t.tenancyId, tenancyId), eq(t.userId, userId), eq(t.id, id));
  const ownAt = (userId: string, id: string, etag: string | undefined): SQL | undefined =>
    etag === undefined ? own(userId, id) : and(own(userId, id), eq(t.etag, etag));
  const settleMiss = async (userId: string, id: string): Promise<'missing' | 'etag-mismatch'> => {
    const [current] = await db.select({ id: t.id }).from(t).where(own(userId, id)).limit(1);
    return current ? 'etag-mismatch' : 'missing';
  };

  return {
    async insertWithin(credential, limit) {
      // Counting and inserting in one statement keeps concurrent creates within the limit on D1 too.
      await db.run(sql`INSERT INTO ${t}
          (id, tenancy_id, user_id, username, description, password_hash, etag, time_created)
        SELECT ${credential.id}, ${tenancyId}, ${credential.userId}, ${credential.username},
          ${credential.description}, ${credential.passwordHash}, ${credential.etag},
          ${credential.timeCreated.getTime()}
        WHERE (SELECT count(*) FROM ${t} WHERE ${t.userId} = ${credential.userId}) < ${limit}`);
      const [row] = await db.select().from(t).where(own(credential.userId, credential.id)).limit(1);
      return row ? toSmtpCredential(row) : 'limit';
    },

    async list(userId) {
      const rows = await db
        .select()
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), eq(t.userId, userId)))
        .orderBy(asc(t.timeCreated), asc(t.id));
      return rows.map(toSmtpCredential);
    },

    async update(userId, id, changes, expectedEtag) {
      const [row] = await db
        .update(t)
        .set(changes)
        .where(ownAt(userId, id, expectedEtag))
        .returning();
      return row ? toSmtpCredential(row) : settleMiss(userId, id);
    },

    async delete(userId, id, expectedEtag) {
      const removed = await db
        .delete(t)
        .where(ownAt(userId, id, expectedEtag))
        .returning({ id: t.id });
      return removed.length > 0 ? 'deleted' : settleMiss(userId, id);
    },
  };
}
