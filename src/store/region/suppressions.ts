import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Suppression, SuppressionFilter, SuppressionRepository } from '../../domain/ports';
import type { SuppressionReason } from '../../domain/feedback/ports';
import type { Database } from '../database';
import { keysetClauses, toPage } from '../sql/keyset';
import { softBounces, suppressions } from '../schema';

type SuppressionRow = typeof suppressions.$inferSelect;

function toSuppression(row: SuppressionRow): Suppression {
  return {
    id: row.id,
    emailAddress: row.emailAddress,
    reason: row.reason as SuppressionReason,
    errorDetail: row.errorDetail,
    errorSource: row.errorSource,
    messageId: row.messageId,
    timeCreated: new Date(row.timeCreated),
    timeLastSuppressed: new Date(row.timeLastSuppressed),
  };
}

function filterClauses(tenancyId: string, filter: SuppressionFilter): SQL[] {
  const clauses: SQL[] = [eq(suppressions.tenancyId, tenancyId)];
  if (filter.emailAddress !== undefined)
    clauses.push(eq(suppressions.emailAddress, filter.emailAddress.toLowerCase()));
  if (filter.timeCreatedGreaterThanOrEqualTo)
    clauses.push(gte(suppressions.timeCreated, filter.timeCreatedGreaterThanOrEqualTo.getTime()));
  if (filter.timeCreatedLessThan)
    clauses.push(lt(suppressions.timeCreated, filter.timeCreatedLessThan.getTime()));
  return clauses;
}

export function suppressionRepository(db: Database, tenancyId: string): SuppressionRepository {
  const own = (id: string): SQL | undefined =>
    and(eq(suppressions.tenancyId, tenancyId), eq(suppressions.id, id));
  const rowOf = (suppression: Suppression) => ({
    ...suppression,
    tenancyId,
    timeCreated: suppression.timeCreated.getTime(),
    timeLastSuppressed: suppression.timeLastSuppressed.getTime(),
  });

  return {
    async insertIfAbsent(suppression) {
      await db
        .insert(suppressions)
        .values(rowOf(suppression))
        .onConflictDoNothing({ target: [suppressions.tenancyId, suppressions.emailAddress] });
      const [row] = await db
        .select()
        .from(suppressions)
        .where(
          and(eq(suppressions.tenancyId, tenancyId), eq(suppressions.emailAddress, suppression.emailAddress)),
        )
        .limit(1);
      if (!row) throw new Error('suppression vanished after insert');
      return toSuppression(row);
    },

    async findById(id) {
      const [row] = await db.select().from(suppressions).where(own(id)).limit(1);
      return row ? toSuppression(row) : undefined;
    },

    async list(filter, options) {
      const sortColumn =
        options.sortBy === 'EMAILADDRESS' ? suppressions.emailAddress : suppressions.timeCreated;
      const { after, orderBy } = keysetClauses(sortColumn, suppressions.id, options);
      const rows = await db
        .select()
        .from(suppressions)
        .where(and(...filterClauses(tenancyId, filter), after))
        .orderBy(...orderBy)
        .limit(options.limit + 1);
      const sortKey =
        options.sortBy === 'EMAILADDRESS'
          ? (r: SuppressionRow) => r.emailAddress
          : (r: SuppressionRow) => r.timeCreated;
      return toPage(rows, options.limit, sortKey, (r) => r.id, toSuppression);
    },

    async listByMessage(messageId, limit) {
      const rows = await db
        .select()
        .from(suppressions)
        .where(and(eq(suppressions.tenancyId, tenancyId), eq(suppressions.messageId, messageId)))
        .limit(limit);
      return rows.map(toSuppression);
    },

    async delete(id) {
      const removed = await db.delete(suppressions).where(own(id)).returning({ id: suppressions.id });
      return removed.length > 0;
    },

    async upsert(suppression) {
      const [row] = await db
        .insert(suppressions)
        .values(rowOf(suppression))
        .onConflictDoUpdate({
          target: [suppressions.tenancyId, suppressions.emailAddress],
          set: {
            reason: suppression.reason,
            errorDetail: suppression.errorDetail,
            errorSource: suppression.errorSource,
            messageId: suppression.messageId,
            timeLastSuppressed: suppression.timeLastSuppressed.getTime(),
          },
        })
        .returning();
      if (!row) throw new Error('suppression upsert returned nothing');
      return toSuppression(row);
    },

    async countSoftBounce(emailAddress, messageId, at, windowMs) {
      const time = at.getTime();
      // One statement: a window past its end starts again at 1; the same message retried adds nothing.
      const expired = sql`${softBounces.windowStart} <= ${time - windowMs}`;
      const [row] = await db
        .insert(softBounces)
        .values({ tenancyId, emailAddress, count: 1, windowStart: time, lastMessageId: messageId })
        .onConflictDoUpdate({
          target: [softBounces.tenancyId, softBounces.emailAddress],
          set: {
            count: sql`CASE WHEN ${expired} THEN 1 WHEN ${softBounces.lastMessageId} = excluded.last_message_id THEN ${softBounces.count} ELSE ${softBounces.count} + 1 END`,
            windowStart: sql`CASE WHEN ${expired} THEN excluded.window_start ELSE ${softBounces.windowStart} END`,
            lastMessageId: sql`excluded.last_message_id`,
          },
        })
        .returning({ count: softBounces.count });
      return row?.count ?? 1;
    },

    async clearSoftBounces(emailAddress) {
      await db
        .delete(softBounces)
        .where(and(eq(softBounces.tenancyId, tenancyId), eq(softBounces.emailAddress, emailAddress)));
    },
  };
}
