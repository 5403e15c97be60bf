import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DeliveryState } from '../domain/ports';
import type {
  Acceptance,
  AcceptOutcome,
  DeliveryStatus,
  StoredSubmission,
  SubmissionStore,
} from '../domain/submission/ports';
import { chunks, runBatch, type BatchStatements } from './batching';
import type { Database } from './database';
import { acceptanceStatements } from './submission-statements';
import { deliveries, quotaUsage, submissions, suppressions } from './schema';
import { isUniqueViolation } from './unique-violation';

const ADDRESSES_PER_QUERY = 90; // D1 binds at most 100 parameters; the tenancy id takes one

type SubmissionRow = typeof submissions.$inferSelect;

const toSubmission = (row: SubmissionRow): StoredSubmission => ({
  id: row.id,
  requestKey: row.requestKey,
  contentHash: row.contentHash,
  messageId: row.messageId,
  sender: row.sender,
  compartmentId: row.compartmentId,
  response: row.response,
  timeCreated: new Date(row.timeCreated),
});

const maybeDate = (value: number | null): Date | null => (value === null ? null : new Date(value));

function isQuotaGuard(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/NOT NULL constraint failed: quota_usage\.used/i.test(e.message)) return true;
  }
  return false;
}

export function submissionStore(db: Database, tenancyId: string): SubmissionStore {
  return {
    async findExisting(requestKey, messageId) {
      const keys: SQL[] = [];
      if (requestKey !== undefined) keys.push(eq(submissions.requestKey, requestKey));
      if (messageId !== undefined) keys.push(eq(submissions.messageId, messageId));
      if (keys.length === 0) return [];
      const rows = await db
        .select()
        .from(submissions)
        .where(and(eq(submissions.tenancyId, tenancyId), or(...keys)))
        .limit(2);
      return rows.map(toSubmission);
    },

    async suppressedAmong(addresses) {
      const found = new Set<string>();
      for (const group of chunks(addresses, ADDRESSES_PER_QUERY)) {
        const rows = await db
          .select({ emailAddress: suppressions.emailAddress })
          .from(suppressions)
          .where(and(eq(suppressions.tenancyId, tenancyId), inArray(suppressions.emailAddress, group)));
        for (const row of rows) found.add(row.emailAddress);
      }
      return found;
    },

    async quotaUsed(windows) {
      if (windows.length === 0) return [];
      const rows = await db
        .select()
        .from(quotaUsage)
        .where(
          and(
            eq(quotaUsage.tenancyId, tenancyId),
            or(
              ...windows.map((w) =>
                and(eq(quotaUsage.window, w.window), eq(quotaUsage.windowStart, w.windowStart)),
              ),
            ),
          ),
        );
      return windows.map(
        (w) => rows.find((r) => r.window === w.window && r.windowStart === w.windowStart)?.used ?? 0,
      );
    },

    async accept(acceptance: Acceptance, now: Date): Promise<AcceptOutcome> {
      const statements: BatchStatements = acceptanceStatements(db, tenancyId, acceptance, now);
      try {
        await runBatch(db, statements);
        return 'accepted';
      } catch (error) {
        if (isQuotaGuard(error)) return 'over-quota';
        if (isUniqueViolation(error)) return 'duplicate';
        throw error;
      }
    },

    async deliveriesOf(submissionId, limit): Promise<DeliveryStatus[]> {
      const rows = await db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.tenancyId, tenancyId), eq(deliveries.submissionId, submissionId)))
        .orderBy(sql`rowid`)
        .limit(limit);
      return rows.map((row) => ({
        recipient: row.recipient,
        state: row.state as DeliveryState,
        attempts: row.attempts,
        lastCode: row.lastCode,
        lastEnhanced: row.lastEnhanced,
        lastDetail: row.lastDetail,
        nextAttemptAt: maybeDate(row.nextAttemptAt),
        giveUpAt: new Date(row.giveUpAt),
        timeCreated: new Date(row.timeCreated),
        timeUpdated: new Date(row.timeUpdated),
        timeFinal: maybeDate(row.timeFinal),
      }));
    },
  };
}
