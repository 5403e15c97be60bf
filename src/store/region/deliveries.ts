import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { ClaimedDelivery, DeliveryCompletion, DeliveryRepository } from '../../domain/ports';
import { chunks, MAX_IN_LIST } from '../sql/batching';
import { compiledOnce } from '../sql/compiled-statements';
import type { CompiledStatement, Database, SqlDatabase } from '../database';
import { deliveries, submissionParts, submissions, suppressions } from '../schema';
import { completionEventStatement } from './delivery-events';

/** The longest detail stored per row: two RFC 5321 reply lines. */
const MAX_STORED_DETAIL = 1_024;
const inGroups = <T>(items: readonly T[]): T[][] => chunks(items, MAX_IN_LIST);

const claimedColumns = {
  id: deliveries.id,
  submissionId: deliveries.submissionId,
  tenancyId: deliveries.tenancyId,
  messageId: deliveries.messageId,
  sender: deliveries.sender,
  recipient: deliveries.recipient,
  attempts: deliveries.attempts,
  acceptedAt: deliveries.timeCreated,
  giveUpAt: deliveries.giveUpAt,
};

function dueAt(now: number) {
  return and(
    eq(deliveries.state, 'QUEUED'),
    or(isNull(deliveries.nextAttemptAt), lte(deliveries.nextAttemptAt, now)),
    or(isNull(deliveries.leaseUntil), lte(deliveries.leaseUntil, now)),
  );
}

/** Which of `rows` are on their tenancy's suppression list: per tenancy, so the (tenancy, address) index serves. */
async function suppressedKeys(db: Database, rows: readonly { tenancyId: string; recipient: string }[]) {
  const byTenancy = new Map<string, Set<string>>();
  for (const row of rows) {
    const addresses = byTenancy.get(row.tenancyId) ?? new Set<string>();
    addresses.add(row.recipient.toLowerCase());
    byTenancy.set(row.tenancyId, addresses);
  }
  const keys = new Set<string>();
  for (const [tenancyId, addresses] of byTenancy) {
    for (const group of inGroups([...addresses])) {
      const found = await db
        .select({ emailAddress: suppressions.emailAddress })
        .from(suppressions)
        .where(and(eq(suppressions.tenancyId, tenancyId), inArray(suppressions.emailAddress, group)));
      for (const row of found) keys.add(`${tenancyId} ${row.emailAddress}`);
    }
  }
  return keys;
}

/** Completions written per transaction: one commit for many rows, and a bounded statement list. */
const MAX_COMPLETIONS_PER_BATCH = 50;

/** One completion, guarded by the lease: compiled once per kind (attempted or not), bound per row. */
function completionStatement(db: Database, owner: string, completion: DeliveryCompletion): CompiledStatement {
  const { decision, at } = completion;
  const final = decision.state !== 'QUEUED';
  const build = () =>
    db
      .update(deliveries)
      .set({
        state: sql`${sql.placeholder('state')}`,
        attempts: completion.attempted ? sql`${deliveries.attempts} + 1` : deliveries.attempts,
        nextAttemptAt: sql`${sql.placeholder('nextAttemptAt')}`,
        leaseOwner: null,
        leaseUntil: null,
        lastCode: sql`${sql.placeholder('lastCode')}`,
        lastEnhanced: sql`${sql.placeholder('lastEnhanced')}`,
        lastDetail: sql`${sql.placeholder('lastDetail')}`,
        timeUpdated: sql`${sql.placeholder('timeUpdated')}`,
        timeFinal: sql`${sql.placeholder('timeFinal')}`,
      })
      .where(
        and(
          eq(deliveries.id, sql.placeholder('id')),
          eq(deliveries.leaseOwner, sql.placeholder('owner')),
          eq(deliveries.state, 'QUEUED'),
        ),
      )
      .returning({ id: deliveries.id })
      .toSQL();
  return compiledOnce(completion.attempted ? 'completion-attempted' : 'completion', build, {
    state: decision.state,
    nextAttemptAt: decision.state === 'QUEUED' ? decision.nextAttemptAt.getTime() : null,
    lastCode: completion.code ?? null,
    lastEnhanced: completion.enhanced ?? null,
    lastDetail: completion.detail?.slice(0, MAX_STORED_DETAIL) ?? null,
    timeUpdated: at.getTime(),
    timeFinal: final ? at.getTime() : null,
    id: completion.id,
    owner,
  });
}

/** `eventLog` false: completions are written without their events. */
export function deliveryRepository({ db, batch }: SqlDatabase, eventLog = true): DeliveryRepository {
  return {
    async claimDue(owner, now, leaseUntil, limit) {
      const at = now.getTime();
      const candidates = db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(dueAt(at))
        .orderBy(asc(deliveries.nextAttemptAt))
        .limit(limit);
      // One statement: the guard is evaluated again under the write lock, so no row goes to two claimants.
      const claimed = await db
        .update(deliveries)
        .set({ leaseOwner: owner, leaseUntil: leaseUntil.getTime(), timeUpdated: at })
        .where(and(inArray(deliveries.id, candidates), dueAt(at)))
        .returning(claimedColumns);
      const suppressed = await suppressedKeys(db, claimed);
      return claimed.map((row): ClaimedDelivery => ({
        ...row,
        acceptedAt: new Date(row.acceptedAt),
        giveUpAt: new Date(row.giveUpAt),
        suppressed: suppressed.has(`${row.tenancyId} ${row.recipient.toLowerCase()}`),
      }));
    },

    async messageOf(submissionId) {
      const parts = await db
        .select({ data: submissionParts.data })
        .from(submissionParts)
        .where(eq(submissionParts.submissionId, submissionId))
        .orderBy(asc(submissionParts.seq));
      return parts.length === 0 ? undefined : parts.map((part) => part.data).join('');
    },

    async messagesOf(submissionIds, maxBytes) {
      const sizes = [];
      for (const group of inGroups([...new Set(submissionIds)])) {
        sizes.push(
          ...(await db
            .select({ id: submissions.id, sizeBytes: submissions.sizeBytes })
            .from(submissions)
            .where(inArray(submissions.id, group))),
        );
      }
      let budget = maxBytes;
      const chosen = sizes.filter((row) => (budget -= row.sizeBytes) >= 0).map((row) => row.id);
      const pieces = new Map<string, string[]>();
      for (const group of inGroups(chosen)) {
        const parts = await db
          .select()
          .from(submissionParts)
          .where(inArray(submissionParts.submissionId, group))
          .orderBy(asc(submissionParts.submissionId), asc(submissionParts.seq));
        for (const part of parts) {
          const list = pieces.get(part.submissionId) ?? [];
          list.push(part.data);
          pieces.set(part.submissionId, list);
        }
      }
      return new Map([...pieces].map(([id, list]) => [id, list.join('')]));
    },

    async complete(owner, completions) {
      const applied = new Set<string>();
      for (let i = 0; i < completions.length; i += MAX_COMPLETIONS_PER_BATCH) {
        const group = completions.slice(i, i + MAX_COMPLETIONS_PER_BATCH);
        const results = await batch(
          group.flatMap((completion) => [
            completionStatement(db, owner, completion),
            ...(completion.event && eventLog
              ? [completionEventStatement(db, completion.submissionId, completion.event)]
              : []),
          ]),
        );
        for (const rows of results) for (const row of rows) applied.add(String(row.id));
      }
      return applied;
    },

    async release(ids, owner) {
      for (const group of inGroups(ids)) {
        await db
          .update(deliveries)
          .set({ leaseOwner: null, leaseUntil: null })
          .where(
            and(
              inArray(deliveries.id, group),
              eq(deliveries.leaseOwner, owner),
              eq(deliveries.state, 'QUEUED'),
            ),
          );
      }
    },
  };
}
