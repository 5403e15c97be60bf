import { and, eq } from 'drizzle-orm';
import type { UiPasswordRepository } from '../../domain/identity/ports';
import type { Database } from '../database';
import { iamUiPasswords } from '../schema';

export function uiPasswordRepository(db: Database, tenancyId: string): UiPasswordRepository {
  const t = iamUiPasswords;
  return {
    async set(userId, passwordHash, timeCreated) {
      const row = { userId, tenancyId, passwordHash, timeCreated: timeCreated.getTime() };
      // The tenancy is part of the condition: a user id of another tenancy never overwrites that tenancy's row.
      await db
        .insert(t)
        .values(row)
        .onConflictDoUpdate({
          target: t.userId,
          set: { passwordHash: row.passwordHash, timeCreated: row.timeCreated },
          setWhere: eq(t.tenancyId, tenancyId),
        });
    },

    async find(userId) {
      const [row] = await db
        .select({ passwordHash: t.passwordHash, timeCreated: t.timeCreated })
        .from(t)
        .where(and(eq(t.tenancyId, tenancyId), eq(t.userId, userId)))
        .limit(1);
      return row ? { passwordHash: row.passwordHash, timeCreated: new Date(row.timeCreated) } : undefined;
    },
  };
}
