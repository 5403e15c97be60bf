import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Acceptance, QuotaCharge } from '../../domain/submission/ports';
import { chunks, MAX_IN_LIST, rowsPerInsert } from '../sql/batching';
import { compiledInsert, compiledOnce } from '../sql/compiled-statements';
import type { CompiledStatement } from '../database';
import type { Database } from '../database';
import { deliveries, quotaUsage, submissionParts, submissions, suppressions } from '../schema';
import { eventInserts, eventRow } from './delivery-events';
import { MAX_PART_CHARS, messageSlices } from './submission-parts';

const SUBMISSION_COLUMNS = 10;
const DELIVERY_COLUMNS = 18;
const PART_COLUMNS = 3;

/**
 * Adds the charge to its window under the QUOTA_WITHIN_LIMIT rule: a total past the limit fails the whole
 * batch, so two racing submits can never both pass the quota, and a first charge past it (a group's charges
 * summed) fails the same way.
 */
function chargeQuota(db: Database, tenancyId: string, charge: QuotaCharge): CompiledStatement {
  const build = () =>
    db
      .insert(quotaUsage)
      .values({
        tenancyId: sql.placeholder('tenancyId'),
        window: sql.placeholder('window'),
        windowStart: sql.placeholder('windowStart'),
        used: sql.placeholder('amount'),
        limit: sql.placeholder('limit'),
      })
      .onConflictDoUpdate({
        target: [quotaUsage.tenancyId, quotaUsage.window, quotaUsage.windowStart],
        set: {
          used: sql`${quotaUsage.used} + excluded.used`,
          limit: sql`excluded.${sql.identifier('limit')}`,
        },
      })
      .toSQL();
  const { window, windowStart, amount, limit } = charge;
  return compiledOnce('quota', build, { tenancyId, window, windowStart, amount, limit });
}

/** One acceptance of one tenancy, as the group commit hands it over. */
export interface AcceptanceEntry {
  tenancyId: string;
  acceptance: Acceptance;
  now: Date;
}

/** The charges of all entries, summed per tenancy and window, so each window is guarded by one statement. */
function mergedCharges(entries: readonly AcceptanceEntry[]): { tenancyId: string; charge: QuotaCharge }[] {
  const merged = new Map<string, { tenancyId: string; charge: QuotaCharge }>();
  for (const { tenancyId, acceptance } of entries) {
    for (const charge of acceptance.quota) {
      const key = `${tenancyId}\n${charge.window}\n${String(charge.windowStart)}`;
      const seen = merged.get(key);
      if (seen) {
        seen.charge = {
          ...seen.charge,
          amount: seen.charge.amount + charge.amount,
          limit: Math.min(seen.charge.limit, charge.limit),
        };
      } else merged.set(key, { tenancyId, charge });
    }
  }
  return [...merged.values()];
}

const submissionRow = ({ tenancyId, acceptance: { submission } }: AcceptanceEntry) => ({
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

function deliveryRows({ tenancyId, acceptance, now }: AcceptanceEntry) {
  const { submission } = acceptance;
  const time = now.getTime();
  return acceptance.deliveries.map((d) => ({
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
  }));
}

interface PartRow {
  submissionId: string;
  seq: number;
  data: string;
}

/** Parts in statements of at most one slice's worth of text (D1's row limit) and of bound parameters. */
function partGroups(parts: readonly PartRow[]): PartRow[][] {
  const groups: PartRow[][] = [];
  let current: PartRow[] = [];
  let size = 0;
  for (const part of parts) {
    const full = current.length >= rowsPerInsert(PART_COLUMNS) || size + part.data.length > MAX_PART_CHARS;
    if (current.length > 0 && full) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(part);
    size += part.data.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Every write of these acceptances as one transaction's statements, in the order they must apply:
 * submissions first (their unique keys refuse a replay), then the quota guards, messages and recipients.
 */
export function acceptanceStatements(db: Database, entries: readonly AcceptanceEntry[]): CompiledStatement[] {
  const statements: CompiledStatement[] = [];
  for (const group of chunks(entries, rowsPerInsert(SUBMISSION_COLUMNS))) {
    statements.push(compiledInsert(db, submissions, group.map(submissionRow)));
  }
  for (const { tenancyId, charge } of mergedCharges(entries))
    statements.push(chargeQuota(db, tenancyId, charge));
  const parts = entries.flatMap(({ acceptance }) =>
    messageSlices(acceptance.message).map((data, seq) => ({
      submissionId: acceptance.submission.id,
      seq,
      data,
    })),
  );
  for (const group of partGroups(parts)) statements.push(compiledInsert(db, submissionParts, group));
  for (const group of chunks(entries.flatMap(deliveryRows), rowsPerInsert(DELIVERY_COLUMNS))) {
    statements.push(compiledInsert(db, deliveries, group));
  }
  const events = entries.flatMap(({ tenancyId, acceptance }) =>
    acceptance.events.map((event) => eventRow(tenancyId, acceptance.submission.compartmentId, event)),
  );
  statements.push(...eventInserts(db, events));
  for (const { tenancyId, acceptance, now } of entries) {
    for (const group of chunks(acceptance.suppressedHit, MAX_IN_LIST)) {
      statements.push(
        db
          .update(suppressions)
          .set({ timeLastSuppressed: now.getTime() })
          .where(and(eq(suppressions.tenancyId, tenancyId), inArray(suppressions.emailAddress, group)))
          .toSQL(),
      );
    }
  }
  return statements;
}
