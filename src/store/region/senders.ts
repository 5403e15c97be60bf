import { and, count, eq, inArray, lt, ne, type SQL } from 'drizzle-orm';
import type {
  Sender,
  SenderChanges,
  SenderFilter,
  SenderLock,
  SenderRepository,
  SenderState,
} from '../../domain/ports';
import type { ListOptions, Page } from '../../values/page';
import type { Database } from '../database';
import { keysetClauses, toPage } from '../sql/keyset';
import { senders, type StoredLock } from '../schema';
import { insertOrDuplicate } from '../sql/constraint-failure';

type SenderRow = typeof senders.$inferSelect;

export function toSender(row: SenderRow): Sender {
  return {
    id: row.id,
    compartmentId: row.compartmentId,
    emailAddress: row.emailAddress,
    lifecycleState: row.lifecycleState as SenderState,
    isSpf: row.isSpf,
    emailIpPoolId: row.emailIpPoolId,
    freeformTags: row.freeformTags,
    definedTags: row.definedTags,
    locks: row.locks.map((lock) => ({ ...lock, timeCreated: new Date(lock.timeCreated) })),
    etag: row.etag,
    timeCreated: new Date(row.timeCreated),
  };
}

const storedLocks = (locks: readonly SenderLock[]): StoredLock[] =>
  locks.map((lock) => ({ ...lock, timeCreated: lock.timeCreated.getTime() }));

function filterClauses(tenancyId: string, filter: SenderFilter): SQL[] {
  const clauses: SQL[] = [eq(senders.tenancyId, tenancyId), eq(senders.compartmentId, filter.compartmentId)];
  clauses.push(
    filter.lifecycleState
      ? eq(senders.lifecycleState, filter.lifecycleState)
      : ne(senders.lifecycleState, 'DELETED'),
  );
  if (filter.domain !== undefined) clauses.push(eq(senders.domain, filter.domain.toLowerCase()));
  if (filter.emailAddress !== undefined)
    clauses.push(eq(senders.emailKey, filter.emailAddress.toLowerCase()));
  if (filter.emailIpPoolId !== undefined) clauses.push(eq(senders.emailIpPoolId, filter.emailIpPoolId));
  return clauses;
}

export function senderRepository(db: Database, tenancyId: string): SenderRepository {
  const own = (id: string): SQL | undefined => and(eq(senders.tenancyId, tenancyId), eq(senders.id, id));

  return {
    async insert(sender) {
      const emailKey = sender.emailAddress.toLowerCase();
      const time = sender.timeCreated.getTime();
      return insertOrDuplicate(async () => {
        const [row] = await db
          .insert(senders)
          .values({
            ...sender,
            locks: storedLocks(sender.locks),
            tenancyId,
            emailKey,
            domain: emailKey.slice(emailKey.lastIndexOf('@') + 1),
            timeCreated: time,
            timeUpdated: time,
          })
          .returning();
        if (!row) throw new Error('insert returned no row');
        return toSender(row);
      });
    },

    async findById(id) {
      const [row] = await db.select().from(senders).where(own(id)).limit(1);
      return row ? toSender(row) : undefined;
    },

    async list(filter: SenderFilter, options: ListOptions): Promise<Page<Sender>> {
      const sortColumn = options.sortBy === 'EMAILADDRESS' ? senders.emailKey : senders.timeCreated;
      const { after, orderBy } = keysetClauses(sortColumn, senders.id, options);
      const rows = await db
        .select()
        .from(senders)
        .where(and(...filterClauses(tenancyId, filter), after))
        .orderBy(...orderBy)
        .limit(options.limit + 1);
      const sortKey =
        options.sortBy === 'EMAILADDRESS' ? (r: SenderRow) => r.emailKey : (r: SenderRow) => r.timeCreated;
      return toPage(rows, options.limit, sortKey, (r) => r.id, toSender);
    },

    async count(filter) {
      const [row] = await db
        .select({ n: count() })
        .from(senders)
        .where(and(...filterClauses(tenancyId, filter)));
      return row?.n ?? 0;
    },

    async update(id: string, changes: SenderChanges, expectedEtag?: string) {
      const { timeUpdated, timeDeleted, locks, ...rest } = changes;
      const live = and(own(id), ne(senders.lifecycleState, 'DELETED'));
      const [row] = await db
        .update(senders)
        .set({
          ...rest,
          ...(locks ? { locks: storedLocks(locks) } : {}),
          timeUpdated: timeUpdated.getTime(),
          ...(timeDeleted ? { timeDeleted: timeDeleted.getTime() } : {}),
        })
        .where(expectedEtag === undefined ? live : and(live, eq(senders.etag, expectedEtag)))
        .returning();
      if (row) return toSender(row);
      const [current] = await db.select({ id: senders.id }).from(senders).where(live).limit(1);
      return current ? 'etag-mismatch' : 'missing';
    },
  };
}

/** Deletes up to `limit` senders in state DELETED whose deletion is older than `before`. */
export async function purgeDeletedSenders(db: Database, before: Date, limit: number): Promise<number> {
  const victims = db
    .select({ id: senders.id })
    .from(senders)
    .where(and(eq(senders.lifecycleState, 'DELETED'), lt(senders.timeDeleted, before.getTime())))
    .limit(limit);
  const removed = await db.delete(senders).where(inArray(senders.id, victims)).returning({ id: senders.id });
  return removed.length;
}
