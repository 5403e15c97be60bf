import { and, asc, eq, gt, ne } from 'drizzle-orm';
import type { Sender } from '../domain/ports';
import type { Database } from './database';
import { senders } from './schema';
import { toSender } from './sender-repository';

/** Live senders of every tenancy after `afterId` in primary-key order: the SPF refresh walks a region this way. */
export async function liveSendersAfter(
  db: Database,
  afterId: string | undefined,
  limit: number,
): Promise<Sender[]> {
  const live = ne(senders.lifecycleState, 'DELETED');
  const rows = await db
    .select()
    .from(senders)
    .where(afterId === undefined ? live : and(live, gt(senders.id, afterId)))
    .orderBy(asc(senders.id))
    .limit(limit);
  return rows.map(toSender);
}

/** Stores a new SPF verdict on a live sender; a value that did not change leaves the row and its etag alone. */
export async function setSenderSpf(
  db: Database,
  id: string,
  isSpf: boolean,
  stamp: { etag: string; timeUpdated: Date },
): Promise<boolean> {
  const changed = await db
    .update(senders)
    .set({ isSpf, etag: stamp.etag, timeUpdated: stamp.timeUpdated.getTime() })
    .where(and(eq(senders.id, id), ne(senders.lifecycleState, 'DELETED'), ne(senders.isSpf, isSpf)))
    .returning({ id: senders.id });
  return changed.length > 0;
}
