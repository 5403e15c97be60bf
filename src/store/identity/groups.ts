import { and, eq } from 'drizzle-orm';
import type { Group, GroupRepository } from '../../domain/identity/ports';
import type { Database } from '../database';
import { namedEntities, namedIdentity } from './named';
import { iamGroups } from '../schema';

export function groupRepository(db: Database, tenancyId: string): GroupRepository {
  const t = iamGroups;
  const { own, ...named } = namedEntities<typeof t.$inferSelect, Group>(
    {
      columns: t,
      rows: () => db.select().from(t),
      insert: (row) => db.insert(t).values(row),
      toEntity: namedIdentity,
    },
    tenancyId,
  );

  return {
    ...named,
    async delete(id, expectedEtag) {
      const condition = expectedEtag === undefined ? own(id) : and(own(id), eq(t.etag, expectedEtag));
      const removed = await db.delete(t).where(condition).returning({ id: t.id });
      if (removed.length > 0) return 'deleted';
      const [current] = await db.select({ id: t.id }).from(t).where(own(id)).limit(1);
      return current ? 'etag-mismatch' : 'missing';
    },
  };
}
