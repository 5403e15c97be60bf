import { afterEach, describe, expect, it } from 'vitest';
import { openLibsql, type LibsqlDatabase } from '../../../src/platform/libsql';
import { compiledInsert, runCompiled } from '../../../src/store/compiled-statements';
import { submissions } from '../../../src/store/schema';

const opened: LibsqlDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.client.close();
});

async function database() {
  const db = await openLibsql({ url: ':memory:' });
  opened.push(db);
  return db;
}

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
    const { db } = await database();
    await runCompiled(db, [compiledInsert(db, submissions, [row(1), row(2, null)])]);
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
    const { db, client } = await database();
    const count = async () =>
      Number((await client.execute('SELECT count(*) AS n FROM submissions')).rows[0]?.n);
    await runCompiled(db, [compiledInsert(db, submissions, [row(1)])]);

    // The second row repeats the first's request key: the unique index refuses it, and the batch with it.
    const twin = { ...row(3), requestKey: 'key-1' };
    await expect(
      runCompiled(db, [compiledInsert(db, submissions, [row(2)]), compiledInsert(db, submissions, [twin])]),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await count()).toBe(1);
  });
});
