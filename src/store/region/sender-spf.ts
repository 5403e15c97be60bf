import { and, asc, eq, isNull, lt, ne, or } from 'drizzle-orm';
import type { Sender } from '../../domain/ports';
import type { Database } from '../database';
import { senders } from '../schema';
import { toSender } from './senders';

/**
 * Live senders of every tenancy not checked since `checkedBefore`, least recently checked first (never
 * checked before all), so successive bounded runs reach every sender of a region in turn.
 */
export async function sendersDueForSpf(db: Database, checkedBefore: Date, limit: number): Promise<Sender[]> {
  const rows = await db
    .select()
    .from(senders)
    .where(
      and(
        ne(senders.lifecycleState, 'DELETED'),
        or(isNull(senders.spfCheckedAt), lt(senders.spfCheckedAt, checkedBefore.getTime())),
      ),
    )
    .orderBy(asc(senders.spfCheckedAt), asc(senders.id))
    .limit(limit);
  return rows.map(toSender);
}

export interface SpfCheckRecord {
  /** The new verdict, or undefined when the check was inconclusive and the stored one stays. */
  isSpf: boolean | undefined;
  checkedAt: Date;
  etag: string;
}

/** Records a check; a verdict that changed also gets a fresh etag. Returns whether `isSpf` changed. */
export async function recordSpfCheck(db: Database, id: string, check: SpfCheckRecord): Promise<boolean> {
  const live = and(eq(senders.id, id), ne(senders.lifecycleState, 'DELETED'));
  const checkedAt = check.checkedAt.getTime();
  if (check.isSpf !== undefined) {
    const changed = await db
      .update(senders)
      .set({ isSpf: check.isSpf, etag: check.etag, timeUpdated: checkedAt, spfCheckedAt: checkedAt })
      .where(and(live, ne(senders.isSpf, check.isSpf)))
      .returning({ id: senders.id });
    if (changed.length > 0) return true;
  }
  await db.update(senders).set({ spfCheckedAt: checkedAt }).where(live);
  return false;
}
