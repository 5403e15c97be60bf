import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { compiledInsert, compiledOnce } from '../../../src/store/sql/compiled-statements';
import { quotaUsage, submissions } from '../../../src/store/schema';
import { memoryLibsql } from '../../support/memory-libsql';

const database = memoryLibsql();

const row = (n: number, requestKey: string | null = `key-${String(n)}`) => ({
  id: `env${String(n)}`,
  tenancyId: 'ocid1.tenancy.oc1..aaaaaaaacompiled',
  requestKey,
  contentHash: `hash${String(n)}`,
  messageId: `m${String(n)}@example.com`,
  sender: 'app@example.com',
  compartmentId: 'ocid1.tenancy.oc1..aaaaaaaacompiled',
  response: { messageId: `m${String(n)}@example.com`, suppressedRecipients: [] },
  sizeBytes: 10 + n,
  timeCreated: 1_764_000_000_000 + n,
});

describe('compiled inserts', () => {
  it('compile to the SQL and bound values drizzle builds, at every row count, again and again', async () => {
    const { db } = await database();
    for (const count of [1, 2, 7, 1, 7]) {
      const rows = Array.from({ length: count }, (_, i) => row(i, i % 2 === 0 ? null : `key-${String(i)}`));
      const compiled = compiledInsert(db, submissions, rows);
      const built = db.insert(submissions).values(rows).toSQL();
      expect(compiled).toEqual({ sql: built.sql, params: built.params });
    }
  });

  it('write rows that read back as drizzle wrote them, JSON and nulls included', async () => {
    const { db, batch } = await database();
    await batch([compiledInsert(db, submissions, [row(1), row(2, null)])]);
    const stored = await db.select().from(submissions).orderBy(submissions.id);
    expect(stored).toEqual([row(1), row(2, null)]);
  });

  it('refuse a row that leaves out a column, which drizzle would write as a literal', async () => {
    const { db } = await database();
    const { requestKey: _left, ...partial } = row(1);
    expect(() => compiledInsert(db, submissions, [partial])).toThrow(/every column of every row/);
  });
});

describe('running compiled statements', () => {
  it('applies all of them as one transaction, or none when one fails', async () => {
    const { db, client, batch } = await database();
    const count = async () =>
      Number((await client.execute('SELECT count(*) AS n FROM submissions')).rows[0]?.n);
    await batch([compiledInsert(db, submissions, [row(1)])]);

    // The second row repeats the first's request key: the unique index refuses it, and the batch with it.
    const twin = { ...row(3), requestKey: 'key-1' };
    await expect(
      batch([compiledInsert(db, submissions, [row(2)]), compiledInsert(db, submissions, [twin])]),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await count()).toBe(1);
  });
});

describe('statements compiled once', () => {
  const build = (db: Awaited<ReturnType<typeof database>>['db']) => () =>
    db
      .insert(quotaUsage)
      .values({
        tenancyId: sql.placeholder('tenancyId'),
        window: 'minute',
        windowStart: sql.placeholder('start'),
        used: sql.placeholder('used'),
        limit: 100,
      })
      .toSQL();

  it('bind new values to the text built the first time', async () => {
    const { db, client, batch } = await database();
    let builds = 0;
    const counted = () => {
      builds += 1;
      return build(db)();
    };
    for (const [start, used] of [
      [60_000, 1],
      [120_000, 2],
    ] as const) {
      await batch([compiledOnce('test-quota', counted, { tenancyId: 't1', start, used })]);
    }
    expect(builds).toBe(1);
    const rows = await client.execute('SELECT window_start, used FROM quota_usage ORDER BY window_start');
    expect(rows.rows.map((r) => [r.window_start, r.used])).toEqual([
      [60_000, 1],
      [120_000, 2],
    ]);
  });

  it('refuse a call that leaves a placeholder without a value', async () => {
    const { db } = await database();
    expect(() => compiledOnce('test-quota-missing', build(db), { tenancyId: 't1', start: 0 })).toThrow(
      /No value for placeholder "used"/,
    );
  });
});
