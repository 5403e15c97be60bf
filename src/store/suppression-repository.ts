import { and, eq, gte, lt, type SQL } from 'drizzle-orm';
import type {
  Suppression,
  SuppressionFilter,
  SuppressionReason,
  SuppressionRepository,
} from '../domain/ports';
import type { Database } from './database';
import { keysetClauses, toPage } from './keyset';
import { suppressions } from './schema';

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

  return {
    async insertIfAbsent(suppression) {
      await db
        .insert(suppressions)
        .values({
          ...suppression,
          tenancyId,
          timeCreated: suppression.timeCreated.getTime(),
          timeLastSuppressed: suppression.timeLastSuppressed.getTime(),
        })
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

    async delete(id) {
      const removed = await db.delete(suppressions).where(own(id)).returning({ id: suppressions.id });
      return removed.length > 0;
    },
  };
}
