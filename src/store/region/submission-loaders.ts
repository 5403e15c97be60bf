import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { AcceptOutcome, StoredSubmission } from '../../domain/submission/ports';
import { chunks, distinctBy } from '../sql/batching';
import { coalescer, type Coalescing } from '../sql/coalescer';
import { bindKeys, indices, matchingAnyKey, preparedPerShape, slot } from '../sql/prepared-queries';
import type { Database, SqlDatabase } from '../database';
import { QUOTA_WITHIN_LIMIT, senders, submissions, suppressions } from '../schema';
import { acceptanceStatements, type AcceptanceEntry } from './submission-statements';
import { isCheckViolation, isUniqueViolation } from '../sql/constraint-failure';

const ADDRESSES_PER_QUERY = 90; // D1 binds at most 100 parameters; the tenancy id takes one
const LOOKUPS_PER_QUERY = 30; // three parameters each

export interface ExistingKey {
  tenancyId: string;
  requestKey: string | undefined;
  messageId: string | undefined;
}

export interface SuppressionKey {
  tenancyId: string;
  address: string;
}

export interface SenderKey {
  tenancyId: string;
  compartmentId: string;
  emailKey: string;
}

/** What a commit answers one acceptance: its outcome, or the error its own transaction met. */
export type CommitResult = { outcome: AcceptOutcome } | { error: unknown };

/** The region's submission reads and writes, shared by the requests in flight at the same moment. */
export interface SubmissionLoaders {
  isActiveSender(key: SenderKey): Promise<boolean>;
  existing(key: ExistingKey): Promise<StoredSubmission[]>;
  /** Whether each address is suppressed, read together even where requests do not coalesce. */
  suppressed(keys: readonly SuppressionKey[]): Promise<boolean[]>;
  commit(entry: AcceptanceEntry): Promise<CommitResult>;
}

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

const matches = (row: SubmissionRow, key: ExistingKey): boolean =>
  row.tenancyId === key.tenancyId &&
  ((key.requestKey !== undefined && row.requestKey === key.requestKey) ||
    (key.messageId !== undefined && row.messageId === key.messageId));

const existingQuery = preparedPerShape((db, size) =>
  db
    .select()
    .from(submissions)
    .where(
      or(
        // A key without a request key or Message-ID binds NULL there, which equals nothing.
        ...indices(size).map((i) =>
          and(
            eq(submissions.tenancyId, slot('tenancyId', i)),
            or(
              eq(submissions.requestKey, slot('requestKey', i)),
              eq(submissions.messageId, slot('messageId', i)),
            ),
          ),
        ),
      ),
    )
    .prepare(),
);

async function loadExisting(db: Database, keys: ExistingKey[]): Promise<StoredSubmission[][]> {
  const asked = distinctBy(
    keys.filter((k) => k.requestKey !== undefined || k.messageId !== undefined),
    (k) => `${k.tenancyId}\n${k.requestKey ?? ''}\n${k.messageId ?? ''}`,
  );
  const rows: SubmissionRow[] = [];
  for (const group of chunks(asked, LOOKUPS_PER_QUERY)) {
    const values = bindKeys(group, ['tenancyId', 'requestKey', 'messageId']);
    rows.push(...(await existingQuery(db, group.length).all(values)));
  }
  return keys.map((key) => rows.filter((row) => matches(row, key)).map(toSubmission));
}

const activeSendersQuery = preparedPerShape((db, size) =>
  db
    .select({
      tenancyId: senders.tenancyId,
      compartmentId: senders.compartmentId,
      emailKey: senders.emailKey,
    })
    .from(senders)
    .where(
      and(
        eq(senders.lifecycleState, 'ACTIVE'),
        matchingAnyKey(size, {
          tenancyId: senders.tenancyId,
          compartmentId: senders.compartmentId,
          emailKey: senders.emailKey,
        }),
      ),
    )
    .prepare(),
);

async function loadActiveSenders(db: Database, keys: SenderKey[]): Promise<boolean[]> {
  const keyOf = (k: SenderKey) => `${k.tenancyId}\n${k.compartmentId}\n${k.emailKey}`;
  const active = new Set<string>();
  for (const group of chunks(distinctBy(keys, keyOf), LOOKUPS_PER_QUERY)) {
    const values = bindKeys(group, ['tenancyId', 'compartmentId', 'emailKey']);
    for (const row of await activeSendersQuery(db, group.length).all(values)) active.add(keyOf(row));
  }
  return keys.map((k) => active.has(keyOf(k)));
}

const suppressedQuery = preparedPerShape((db, size) =>
  db
    .select({ emailAddress: suppressions.emailAddress })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.tenancyId, sql.placeholder('tenancyId')),
        inArray(
          suppressions.emailAddress,
          indices(size).map((i) => slot('address', i)),
        ),
      ),
    )
    .prepare(),
);

async function loadSuppressed(db: Database, keys: SuppressionKey[]): Promise<boolean[]> {
  const byTenancy = new Map<string, Set<string>>();
  for (const { tenancyId, address } of keys) {
    const addresses = byTenancy.get(tenancyId) ?? new Set<string>();
    addresses.add(address);
    byTenancy.set(tenancyId, addresses);
  }
  const found = new Set<string>();
  for (const [tenancyId, addresses] of byTenancy) {
    for (const group of chunks([...addresses], ADDRESSES_PER_QUERY)) {
      const values = {
        tenancyId,
        ...bindKeys(
          group.map((address) => ({ address })),
          ['address'],
        ),
      };
      const rows = await suppressedQuery(db, group.length).all(values);
      for (const row of rows) found.add(`${tenancyId}\n${row.emailAddress}`);
    }
  }
  return keys.map(({ tenancyId, address }) => found.has(`${tenancyId}\n${address}`));
}

async function commitOne({ db, batch }: SqlDatabase, entry: AcceptanceEntry): Promise<CommitResult> {
  try {
    await batch(acceptanceStatements(db, [entry]));
    return { outcome: 'accepted' };
  } catch (error) {
    if (isCheckViolation(error, QUOTA_WITHIN_LIMIT)) return { outcome: 'over-quota' };
    if (isUniqueViolation(error)) return { outcome: 'duplicate' };
    return { error };
  }
}

/**
 * Group commit: the acceptances of one turn go into one transaction. When that transaction fails (a quota
 * used up, a replay, a fault), nothing of it was written and each acceptance is committed alone, so each
 * gets the answer it would have had on its own.
 */
async function commitAll(database: SqlDatabase, entries: AcceptanceEntry[]): Promise<CommitResult[]> {
  if (entries.length > 1) {
    try {
      await database.batch(acceptanceStatements(database.db, entries));
      return entries.map(() => ({ outcome: 'accepted' }));
    } catch {
      // answered one by one below
    }
  }
  const results: CommitResult[] = [];
  for (const entry of entries) results.push(await commitOne(database, entry));
  return results;
}

export function submissionLoaders(database: SqlDatabase, coalescing: Coalescing): SubmissionLoaders {
  const { db } = database;
  return {
    isActiveSender: coalescer((keys: SenderKey[]) => loadActiveSenders(db, keys), coalescing),
    existing: coalescer((keys: ExistingKey[]) => loadExisting(db, keys), coalescing),
    suppressed: coalescer((keys: SuppressionKey[]) => loadSuppressed(db, keys), coalescing).many,
    commit: coalescer((entries: AcceptanceEntry[]) => commitAll(database, entries), coalescing),
  };
}
