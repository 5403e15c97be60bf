import { and, asc, eq, inArray, lt, notExists } from 'drizzle-orm';
import type { Database, SqlDatabase } from '../database';
import { deliveries, quotaUsage, submissionParts, submissions } from '../schema';

/**
 * Removes up to `limit` submissions created before `before` whose recipients have all reached a final
 * state, with their message and recipient rows, in one transaction; returns how many.
 */
export async function purgeSubmissions(
  { db, batch }: SqlDatabase,
  before: Date,
  limit: number,
): Promise<number> {
  const pending = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.submissionId, submissions.id), eq(deliveries.state, 'QUEUED')));
  // Oldest first, so the three statements below pick the same submissions.
  const victims = db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(lt(submissions.timeCreated, before.getTime()), notExists(pending)))
    .orderBy(asc(submissions.timeCreated), asc(submissions.id))
    .limit(limit);
  const results = await batch([
    db.delete(submissionParts).where(inArray(submissionParts.submissionId, victims)).toSQL(),
    db.delete(deliveries).where(inArray(deliveries.submissionId, victims)).toSQL(),
    db.delete(submissions).where(inArray(submissions.id, victims)).returning({ id: submissions.id }).toSQL(),
  ]);
  return results.at(-1)?.length ?? 0;
}

/** Removes the quota windows that started before `before`; returns how many. */
export async function purgeQuotaWindows(db: Database, before: Date): Promise<number> {
  const removed = await db
    .delete(quotaUsage)
    .where(lt(quotaUsage.windowStart, before.getTime()))
    .returning({ window: quotaUsage.window });
  return removed.length;
}
