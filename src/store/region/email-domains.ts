import { and, desc, eq, inArray, isNotNull, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type {
  Dkim,
  DkimState,
  EmailDomainUpkeep,
  EmailDomain,
  EmailDomainRepository,
  EmailDomainState,
  EmailReturnPath,
  NamedFilter,
  OperationStatus,
  OperationType,
  ResourceLock,
  ReturnPathState,
  RetryKey,
  WorkRequest,
  WorkRequestResource,
} from '../../domain/email-domains/ports';
import type { CompiledStatement, Database, SqlDatabase } from '../database';
import { dkims, emailDomains, emailReturnPaths, workRequests, type StoredLock } from '../schema';
import { isUniqueViolation } from '../sql/constraint-failure';
import { nameOrTimePaging, timePaging } from '../sql/keyset';

type DomainRow = typeof emailDomains.$inferSelect;
type DkimRow = typeof dkims.$inferSelect;
type ReturnPathRow = typeof emailReturnPaths.$inferSelect;
type WorkRow = typeof workRequests.$inferSelect;

const maybeDate = (value: number | null): Date | null => (value === null ? null : new Date(value));
const maybeTime = (value: Date | null | undefined): number | null | undefined =>
  value === undefined ? undefined : value === null ? null : value.getTime();

const toLocks = (locks: StoredLock[]): ResourceLock[] =>
  locks.map((lock) => ({ ...lock, timeCreated: new Date(lock.timeCreated) }));
const storedLocks = (locks: readonly ResourceLock[]): StoredLock[] =>
  locks.map((lock) => ({ ...lock, timeCreated: lock.timeCreated.getTime() }));

function toDomain(row: DomainRow): EmailDomain {
  return {
    ...row,
    lifecycleState: row.lifecycleState as EmailDomainState,
    locks: toLocks(row.locks),
    timeCreated: new Date(row.timeCreated),
    timeUpdated: new Date(row.timeUpdated),
  };
}

function toDkim(row: DkimRow): Dkim {
  return {
    ...row,
    lifecycleState: row.lifecycleState as DkimState,
    timeCreated: new Date(row.timeCreated),
    timeUpdated: new Date(row.timeUpdated),
    timeActivated: maybeDate(row.timeActivated),
    nextCheckAt: maybeDate(row.nextCheckAt),
  };
}

function toReturnPath(row: ReturnPathRow): EmailReturnPath {
  return {
    ...row,
    lifecycleState: row.lifecycleState as ReturnPathState,
    locks: toLocks(row.locks),
    timeCreated: new Date(row.timeCreated),
    timeUpdated: new Date(row.timeUpdated),
    nextCheckAt: maybeDate(row.nextCheckAt),
  };
}

function toWorkRequest(row: WorkRow): WorkRequest {
  return {
    id: row.id,
    compartmentId: row.compartmentId,
    operationType: row.operationType as OperationType,
    status: row.status as OperationStatus,
    resources: row.resources as unknown as WorkRequestResource[],
    percentComplete: row.percentComplete,
    timeAccepted: new Date(row.timeAccepted),
    timeStarted: maybeDate(row.timeStarted),
    timeFinished: maybeDate(row.timeFinished),
    logs: row.logs.map((entry) => ({ message: entry.message, timestamp: new Date(entry.timestamp) })),
    errors: row.errors.map((entry) => ({
      code: entry.code ?? 'InternalError',
      message: entry.message,
      timestamp: new Date(entry.timestamp),
    })),
  };
}

/** The columns and values of a work request row, in the table's column order. */
function workRow(tenancyId: string, work: WorkRequest, retry: RetryKey | undefined): WorkRow {
  return {
    id: work.id,
    tenancyId,
    compartmentId: work.compartmentId,
    operationType: work.operationType,
    status: work.status,
    resources: work.resources as unknown as Record<string, string>[],
    percentComplete: work.percentComplete,
    logs: work.logs.map((entry) => ({ message: entry.message, timestamp: entry.timestamp.getTime() })),
    errors: work.errors.map((entry) => ({ ...entry, timestamp: entry.timestamp.getTime() })),
    retryToken: retry?.token ?? null,
    retryDigest: retry?.digest ?? null,
    timeAccepted: work.timeAccepted.getTime(),
    timeStarted: maybeTime(work.timeStarted) ?? null,
    timeFinished: maybeTime(work.timeFinished) ?? null,
  };
}

/** Inserts the work request only when the statement just before it changed a row (the same transaction). */
function guardedWorkInsert(db: Database, row: WorkRow): CompiledStatement {
  const plain = db.insert(workRequests).values(row).toSQL();
  const [, names, values] =
    /^insert into "work_requests" (\([^)]*\)) values \((.*)\)$/i.exec(plain.sql) ?? [];
  if (names === undefined || values === undefined) throw new Error(`unexpected insert shape: ${plain.sql}`);
  return {
    sql: `insert into "work_requests" ${names} select ${values} where changes() > 0`,
    params: plain.params,
  };
}

/** The domain's signer: the most recently activated ACTIVE DKIM, recomputed after every DKIM write. */
function refreshActiveDkim(db: Database, emailDomainId: string | SQL): CompiledStatement {
  const newest = db
    .select({ id: dkims.id })
    .from(dkims)
    .where(and(eq(dkims.emailDomainId, emailDomainId), eq(dkims.lifecycleState, 'ACTIVE')))
    .orderBy(desc(dkims.timeActivated), desc(dkims.id))
    .limit(1);
  return db
    .update(emailDomains)
    .set({ activeDkimId: sql`(${newest})` })
    .where(eq(emailDomains.id, emailDomainId))
    .toSQL();
}

interface Named {
  id: SQLiteColumn;
  name: SQLiteColumn;
  lifecycleState: SQLiteColumn;
  timeCreated: SQLiteColumn;
}

function namedClauses<S extends string>(table: Named, filter: NamedFilter<S>): SQL[] {
  const clauses: SQL[] = [
    filter.lifecycleState
      ? eq(table.lifecycleState, filter.lifecycleState)
      : ne(table.lifecycleState, 'DELETED'),
  ];
  if (filter.id !== undefined) clauses.push(eq(table.id, filter.id));
  if (filter.name !== undefined) clauses.push(eq(table.name, filter.name.toLowerCase()));
  return clauses;
}

/** The parent domains a name may be signed or returned under, itself first: a.b.example.com, b.example.com, example.com. */
export function selfAndParents(name: string): string[] {
  const labels = name.toLowerCase().split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}

export function emailDomainRepository({ db, batch }: SqlDatabase, tenancyId: string): EmailDomainRepository {
  const own = (table: { tenancyId: SQLiteColumn; id: SQLiteColumn }, id: string) =>
    and(eq(table.tenancyId, tenancyId), eq(table.id, id));

  const findRetry: EmailDomainRepository['findRetry'] = async (operationType, key) => {
    const [row] = await db
      .select({ id: workRequests.id, digest: workRequests.retryDigest, resources: workRequests.resources })
      .from(workRequests)
      .where(
        and(
          eq(workRequests.tenancyId, tenancyId),
          eq(workRequests.operationType, operationType),
          eq(workRequests.retryToken, key.token),
        ),
      )
      .limit(1);
    if (!row) return undefined;
    if (row.digest !== key.digest) return { kind: 'conflict' };
    return { kind: 'same', resourceId: row.resources[0]?.identifier ?? '', workRequestId: row.id };
  };

  /** Writes a new resource and its work request in one transaction; a taken name answers 'duplicate'. */
  async function insertWith<T>(
    resource: CompiledStatement,
    work: WorkRequest,
    retry: RetryKey | undefined,
    extra: CompiledStatement[],
    read: () => Promise<T | undefined>,
  ): Promise<T | 'duplicate'> {
    try {
      await batch([
        resource,
        db
          .insert(workRequests)
          .values(workRow(tenancyId, work, retry))
          .toSQL(),
        ...extra,
      ]);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Two creates with one retry token: the other one won, and its resource is the answer.
      if (retry && (await findRetry(work.operationType, retry))?.kind === 'same') {
        const again = await read();
        if (again) return again;
      }
      return 'duplicate';
    }
    const written = await read();
    if (!written) throw new Error('a created resource could not be read back');
    return written;
  }

  /** Applies a change guarded by the etag; the work request is written only if the change was. */
  async function updateWith<T extends { id: string }>(
    table: SQLiteTable & {
      tenancyId: SQLiteColumn;
      id: SQLiteColumn;
      etag: SQLiteColumn;
      lifecycleState: SQLiteColumn;
    },
    id: string,
    set: Record<string, unknown>,
    expectedEtag: string,
    work: WorkRequest | undefined,
    extra: CompiledStatement[],
    read: () => Promise<T | undefined>,
  ): Promise<T | 'missing' | 'etag-mismatch'> {
    const live = and(own(table, id), ne(table.lifecycleState, 'DELETED'));
    const update = db
      .update(table)
      .set(set)
      .where(and(live, eq(table.etag, expectedEtag)))
      .returning({ id: table.id })
      .toSQL();
    const statements = [update];
    if (work) statements.push(guardedWorkInsert(db, workRow(tenancyId, work, undefined)));
    const [changed] = await batch([...statements, ...extra]);
    if (changed && changed.length > 0) {
      const written = await read();
      if (written) return written;
    }
    const [current] = await db.select({ id: table.id }).from(table).where(live).limit(1);
    return current ? 'etag-mismatch' : 'missing';
  }

  /** One page of a named resource in the tenancy: `scope` narrows it, the filter and the paging do the rest. */
  async function listNamed<T extends typeof emailDomains | typeof dkims | typeof emailReturnPaths, Item>(
    table: T,
    scope: (SQL | undefined)[],
    filter: NamedFilter<string>,
    options: Parameters<typeof nameOrTimePaging>[1],
    map: (row: T['$inferSelect']) => Item,
  ) {
    const paging = nameOrTimePaging(table, options);
    const rows = (await db
      .select()
      .from(table as typeof emailDomains)
      .where(and(eq(table.tenancyId, tenancyId), ...scope, ...namedClauses(table, filter), paging.after))
      .orderBy(...paging.orderBy)
      .limit(paging.fetch)) as T['$inferSelect'][];
    return paging.page(rows, map);
  }

  const findDomain = async (id: string) => {
    const [row] = await db.select().from(emailDomains).where(own(emailDomains, id)).limit(1);
    return row ? toDomain(row) : undefined;
  };
  const findDkim = async (id: string) => {
    const [row] = await db.select().from(dkims).where(own(dkims, id)).limit(1);
    return row ? toDkim(row) : undefined;
  };
  const findReturnPath = async (id: string) => {
    const [row] = await db.select().from(emailReturnPaths).where(own(emailReturnPaths, id)).limit(1);
    return row ? toReturnPath(row) : undefined;
  };

  return {
    findRetry,

    insertDomain(domain, work, retry) {
      const time = domain.timeCreated.getTime();
      const row = {
        ...domain,
        tenancyId,
        locks: storedLocks(domain.locks),
        timeCreated: time,
        timeUpdated: domain.timeUpdated.getTime(),
      };
      return insertWith(db.insert(emailDomains).values(row).toSQL(), work, retry, [], () =>
        findDomain(domain.id),
      );
    },
    findDomain,
    listDomains: (filter, options) =>
      listNamed(
        emailDomains,
        [eq(emailDomains.compartmentId, filter.compartmentId)],
        filter,
        options,
        toDomain,
      ),
    updateDomain(id, changes, expectedEtag, work, cascade) {
      const {
        locks,
        timeUpdated,
        timeCreated: _c,
        ...rest
      } = changes as typeof changes & { timeCreated?: Date };
      const set = {
        ...rest,
        ...(locks ? { locks: storedLocks(locks) } : {}),
        timeUpdated: timeUpdated.getTime(),
      };
      const extra: CompiledStatement[] = [];
      const children = (table: typeof dkims | typeof emailReturnPaths, parent: SQLiteColumn) =>
        and(eq(table.tenancyId, tenancyId), eq(parent, id), ne(table.lifecycleState, 'DELETED'));
      if (cascade?.compartmentId !== undefined) {
        const moved = { compartmentId: cascade.compartmentId, timeUpdated: timeUpdated.getTime() };
        extra.push(db.update(dkims).set(moved).where(children(dkims, dkims.emailDomainId)).toSQL());
        extra.push(
          db
            .update(emailReturnPaths)
            .set(moved)
            .where(children(emailReturnPaths, emailReturnPaths.parentResourceId))
            .toSQL(),
        );
      }
      if (cascade?.deleted) {
        const gone = { lifecycleState: 'DELETED', nextCheckAt: null, timeUpdated: timeUpdated.getTime() };
        extra.push(db.update(dkims).set(gone).where(children(dkims, dkims.emailDomainId)).toSQL());
        extra.push(
          db
            .update(emailReturnPaths)
            .set(gone)
            .where(children(emailReturnPaths, emailReturnPaths.parentResourceId))
            .toSQL(),
        );
      }
      return updateWith(emailDomains, id, set, expectedEtag, work, extra, () => findDomain(id));
    },

    insertDkim(dkim, work, retry) {
      const row = {
        ...dkim,
        tenancyId,
        timeCreated: dkim.timeCreated.getTime(),
        timeUpdated: dkim.timeUpdated.getTime(),
        timeActivated: maybeTime(dkim.timeActivated) ?? null,
        nextCheckAt: maybeTime(dkim.nextCheckAt) ?? null,
      };
      return insertWith(
        db.insert(dkims).values(row).toSQL(),
        work,
        retry,
        [refreshActiveDkim(db, dkim.emailDomainId)],
        () => findDkim(dkim.id),
      );
    },
    findDkim,
    listDkims: (filter, options) =>
      listNamed(dkims, [eq(dkims.emailDomainId, filter.emailDomainId)], filter, options, toDkim),
    updateDkim(id, changes, expectedEtag, work) {
      const {
        timeUpdated,
        timeActivated,
        nextCheckAt,
        timeCreated: _c,
        ...rest
      } = changes as typeof changes & {
        timeCreated?: Date;
      };
      const set = {
        ...rest,
        timeUpdated: timeUpdated.getTime(),
        ...(timeActivated === undefined ? {} : { timeActivated: maybeTime(timeActivated) }),
        ...(nextCheckAt === undefined ? {} : { nextCheckAt: maybeTime(nextCheckAt) }),
      };
      return updateWith(
        dkims,
        id,
        set,
        expectedEtag,
        work,
        // The key's own domain, read in the statement: no query ahead of the write.
        [
          refreshActiveDkim(
            db,
            sql`(${db.select({ domain: dkims.emailDomainId }).from(dkims).where(own(dkims, id))})`,
          ),
        ],
        () => findDkim(id),
      );
    },

    insertReturnPath(returnPath, work, retry) {
      const row = {
        ...returnPath,
        tenancyId,
        locks: storedLocks(returnPath.locks),
        timeCreated: returnPath.timeCreated.getTime(),
        timeUpdated: returnPath.timeUpdated.getTime(),
        nextCheckAt: maybeTime(returnPath.nextCheckAt) ?? null,
      };
      return insertWith(db.insert(emailReturnPaths).values(row).toSQL(), work, retry, [], () =>
        findReturnPath(returnPath.id),
      );
    },
    findReturnPath,
    listReturnPaths: (filter, options) =>
      listNamed(
        emailReturnPaths,
        [
          filter.compartmentId === undefined
            ? undefined
            : eq(emailReturnPaths.compartmentId, filter.compartmentId),
          filter.parentResourceId === undefined
            ? undefined
            : eq(emailReturnPaths.parentResourceId, filter.parentResourceId),
        ],
        filter,
        options,
        toReturnPath,
      ),
    updateReturnPath(id, changes, expectedEtag, work) {
      const {
        locks,
        timeUpdated,
        nextCheckAt,
        timeCreated: _c,
        ...rest
      } = changes as typeof changes & {
        timeCreated?: Date;
      };
      const set = {
        ...rest,
        ...(locks ? { locks: storedLocks(locks) } : {}),
        ...(nextCheckAt === undefined ? {} : { nextCheckAt: maybeTime(nextCheckAt) }),
        timeUpdated: timeUpdated.getTime(),
      };
      return updateWith(emailReturnPaths, id, set, expectedEtag, work, [], () => findReturnPath(id));
    },

    async findWorkRequest(id) {
      const [row] = await db.select().from(workRequests).where(own(workRequests, id)).limit(1);
      return row ? toWorkRequest(row) : undefined;
    },
    async listWorkRequests(filter, options) {
      const paging = timePaging({ id: workRequests.id, timeCreated: workRequests.timeAccepted }, options);
      const rows = await db
        .select()
        .from(workRequests)
        .where(
          and(
            eq(workRequests.tenancyId, tenancyId),
            eq(workRequests.compartmentId, filter.compartmentId),
            filter.workRequestId === undefined ? undefined : eq(workRequests.id, filter.workRequestId),
            filter.status === undefined ? undefined : eq(workRequests.status, filter.status),
            filter.operationType === undefined
              ? undefined
              : eq(workRequests.operationType, filter.operationType),
            paging.after,
          ),
        )
        .orderBy(...paging.orderBy)
        .limit(paging.fetch);
      return paging.page(
        rows.map((row) => ({ ...row, timeCreated: row.timeAccepted })),
        toWorkRequest,
      );
    },

    async signingDkim(domainName) {
      const [row] = await db
        .select({ dkim: dkims })
        .from(emailDomains)
        .innerJoin(dkims, eq(dkims.id, emailDomains.activeDkimId))
        .where(
          and(
            eq(emailDomains.tenancyId, tenancyId),
            inArray(emailDomains.name, selfAndParents(domainName)),
            eq(emailDomains.lifecycleState, 'ACTIVE'),
            isNotNull(emailDomains.activeDkimId),
          ),
        )
        .orderBy(desc(sql`length(${emailDomains.name})`))
        .limit(1);
      return row ? toDkim(row.dkim) : undefined;
    },
    async activeReturnPath(domainName) {
      const [row] = await db
        .select()
        .from(emailReturnPaths)
        .where(
          and(
            eq(emailReturnPaths.tenancyId, tenancyId),
            inArray(emailReturnPaths.domainName, selfAndParents(domainName)),
            eq(emailReturnPaths.lifecycleState, 'ACTIVE'),
          ),
        )
        .orderBy(desc(sql`length(${emailReturnPaths.domainName})`), desc(emailReturnPaths.timeCreated))
        .limit(1);
      return row ? toReturnPath(row) : undefined;
    },
  };
}

/** DKIMs and return paths whose DNS records are due for a check, across tenancies. */
export function emailDomainUpkeep(db: Database): EmailDomainUpkeep {
  return {
    async purge(before, limit) {
      const at = before.getTime();
      let removed = 0;
      for (const table of [dkims, emailReturnPaths, emailDomains]) {
        const victims = db
          .select({ id: table.id })
          .from(table)
          .where(and(eq(table.lifecycleState, 'DELETED'), lt(table.timeUpdated, at)))
          .limit(limit);
        removed += (await db.delete(table).where(inArray(table.id, victims)).returning({ id: table.id }))
          .length;
      }
      const oldWork = db
        .select({ id: workRequests.id })
        .from(workRequests)
        .where(lt(workRequests.timeAccepted, at))
        .limit(limit);
      const work = await db
        .delete(workRequests)
        .where(inArray(workRequests.id, oldWork))
        .returning({ id: workRequests.id });
      return removed + work.length;
    },

    async due(now, limit) {
      const at = now.getTime();
      const [dkimRows, returnPathRows] = await Promise.all([
        db
          .select()
          .from(dkims)
          .where(and(isNotNull(dkims.nextCheckAt), lte(dkims.nextCheckAt, at)))
          .orderBy(dkims.nextCheckAt)
          .limit(limit),
        db
          .select()
          .from(emailReturnPaths)
          .where(and(isNotNull(emailReturnPaths.nextCheckAt), lte(emailReturnPaths.nextCheckAt, at)))
          .orderBy(emailReturnPaths.nextCheckAt)
          .limit(limit),
      ]);
      return {
        dkims: dkimRows.map((row) => ({ ...toDkim(row), tenancyId: row.tenancyId })),
        returnPaths: returnPathRows.map((row) => ({ ...toReturnPath(row), tenancyId: row.tenancyId })),
      };
    },
  };
}
