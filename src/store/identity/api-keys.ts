import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { ApiKey, ApiKeyRepository } from '../../domain/identity/ports';
import type { Database } from '../database';
import type { IdentityLoaders } from './loaders';
import { toApiKey } from './rows';
import { iamApiKeys } from '../schema';
import { insertOrDuplicate } from '../sql/constraint-failure';

export function apiKeyRepository(
  db: Database,
  tenancyId: string,
  loaders: IdentityLoaders,
): ApiKeyRepository {
  const t = iamApiKeys;
  const own = (userId: string, fingerprint: string): SQL | undefined =>
    and(eq(t.tenancyId, tenancyId), eq(t.userId, userId), eq(t.fingerprint, fingerprint));

  const find = (userId: string, fingerprint: string): Promise<ApiKey | undefined> =>
    loaders.apiKey({ tenancyId, userId, fingerprint });

  return {
    find,

    async insertWithin(key, limit) {
      if (await find(key.userId, key.fingerprint)) return 'duplicate';
      // One statement counts and inserts, so concurrent uploads cannot pass the limit together (D1 has no
      // interactive transactions).
      const inserted = await insertOrDuplicate(() =>
        db.run(sql`INSERT INTO ${t} (tenancy_id, user_id, fingerprint, key_value, time_created)
          SELECT ${tenancyId}, ${key.userId}, ${key.fingerprint}, ${key.keyValue}, ${key.timeCreated.getTime()}
          WHERE (SELECT count(*) FROM ${t} WHERE ${t.userId} = ${key.userId}) < ${limit}`),
      );
      if (inserted === 'duplicate') return 'duplicate';
      return (await find(key.userId, key.fingerprint)) ?? 'limit';
    },

    async list(userId) {
      const rows = await db
        .select()
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), eq(t.userId, userId)))
        .orderBy(asc(t.timeCreated), asc(t.fingerprint));
      return rows.map(toApiKey);
    },

    async delete(userId, fingerprint) {
      const removed = await db.delete(t).where(own(userId, fingerprint)).returning({ id: t.fingerprint });
      return removed.length > 0;
    },
  };
}
