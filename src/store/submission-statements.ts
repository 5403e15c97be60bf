import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Acceptance, QuotaCharge } from '../domain/submission/ports';
import { chunks, rowsPerInsert, type BatchStatements } from './batching';
import type { Database } from './database';
import { deliveries, quotaUsage, submissionParts, submissions, suppressions } from './schema';
import { messageSlices } from './submission-parts';

const DELIVERY_COLUMNS = 18;
const ADDRESSES_PER_UPDATE = 90; // D1 binds at most 100 parameters per statement

/**
 * Adds the charge to its window; a total past the limit sets NULL into a NOT NULL column, which fails the
 * whole batch, so two racing submits can never both pass the quota.
 */
function chargeQuota(db: Database, tenancyId: string, charge: QuotaCharge) {
  return db
    .insert(quotaUsage)
    .values({ tenancyId, window: charge.window, windowStart: charge.windowStart, used: charge.amount })
    .onConflictDoUpdate({
      target: [quotaUsage.tenancyId, quotaUsage.window, quotaUsage.windowStart],
      set: {
        used: sql`CASE WHEN ${quotaUsage.used} + excluded.used > ${charge.limit} THEN NULL ELSE ${quotaUsage.used} + excluded.used END`,
      },
    });
}

/** Every write of one acceptance, in the order they must apply. */
export function acceptanceStatements(
  db: Database,
  tenancyId: string,
  acceptance: Acceptance,
  now: Date,
): BatchStatements {
  const { submission } = acceptance;
  const time = now.getTime();
  const first = db.insert(submissions).values({
    id: submission.id,
    tenancyId,
    requestKey: submission.requestKey,
    contentHash: submission.contentHash,
    messageId: submission.messageId,
    sender: submission.sender,
    compartmentId: submission.compartmentId,
    response: submission.response,
    sizeBytes: submission.sizeBytes,
    timeCreated: submission.timeCreated.getTime(),
  });
  const statements: BatchStatements = [first];
  for (const charge of acceptance.quota) statements.push(chargeQuota(db, tenancyId, charge));
  messageSlices(acceptance.message).forEach((data, seq) => {
    statements.push(db.insert(submissionParts).values({ submissionId: submission.id, seq, data }));
  });
  for (const group of chunks(acceptance.deliveries, rowsPerInsert(DELIVERY_COLUMNS))) {
    statements.push(
      db.insert(deliveries).values(
        group.map((d) => ({
          id: d.id,
          submissionId: submission.id,
          tenancyId,
          messageId: submission.messageId,
          sender: submission.sender,
          recipient: d.recipient,
          state: d.state,
          attempts: 0,
          nextAttemptAt: d.nextAttemptAt?.getTime() ?? null,
          giveUpAt: d.giveUpAt.getTime(),
          leaseOwner: null,
          leaseUntil: null,
          lastCode: null,
          lastEnhanced: null,
          lastDetail: d.lastDetail,
          timeCreated: time,
          timeUpdated: time,
          timeFinal: d.timeFinal?.getTime() ?? null,
        })),
      ),
    );
  }
  for (const group of chunks(acceptance.suppressedHit, ADDRESSES_PER_UPDATE)) {
    statements.push(
      db
        .update(suppressions)
        .set({ timeLastSuppressed: time })
        .where(and(eq(suppressions.tenancyId, tenancyId), inArray(suppressions.emailAddress, group))),
    );
  }
  return statements;
}
