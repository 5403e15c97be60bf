import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';

// patches/@libsql+client+0.18.0.patch keeps prepared statements per connection.
const clients: ReturnType<typeof createClient>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function open() {
  const client = createClient({ url: ':memory:' });
  clients.push(client);
  return client;
}

describe('libSQL kept statements', () => {
  it('runs a kept statement again with other arguments, also after it failed', async () => {
    const client = open();
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)');
    const insert = 'INSERT INTO t (v) VALUES (?)';
    await client.execute({ sql: insert, args: ['a'] });
    await expect(client.execute({ sql: insert, args: ['a'] })).rejects.toThrow(/UNIQUE/);
    await client.execute({ sql: insert, args: ['b'] });
    const select = 'SELECT v FROM t WHERE v >= ? ORDER BY v';
    expect((await client.execute({ sql: select, args: ['a'] })).rows.map((r) => r.v)).toEqual(['a', 'b']);
    expect((await client.execute({ sql: select, args: ['b'] })).rows.map((r) => r.v)).toEqual(['b']);
  });

  it('describes a kept statement anew after the schema changed', async () => {
    const client = open();
    await client.execute('CREATE TABLE t (a TEXT)');
    await client.execute("INSERT INTO t VALUES ('x')");
    expect((await client.execute('SELECT * FROM t')).columns).toEqual(['a']);
    await client.execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'y'");
    const afterAlter = await client.execute('SELECT * FROM t');
    expect(afterAlter.columns).toEqual(['a', 'b']);
    expect(afterAlter.rows[0]?.b).toBe('y');
    await client.executeMultiple("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'z';");
    expect((await client.execute('SELECT * FROM t')).columns).toEqual(['a', 'b', 'c']);
  });

  it('keeps a transaction batch atomic with kept BEGIN and COMMIT statements', async () => {
    const client = open();
    await client.execute('CREATE TABLE t (v TEXT UNIQUE)');
    await client.batch([{ sql: 'INSERT INTO t VALUES (?)', args: ['a'] }]);
    await expect(
      client.batch([
        { sql: 'INSERT INTO t VALUES (?)', args: ['b'] },
        { sql: 'INSERT INTO t VALUES (?)', args: ['a'] },
      ]),
    ).rejects.toThrow(/UNIQUE/);
    await client.batch([{ sql: 'INSERT INTO t VALUES (?)', args: ['c'] }]);
    expect((await client.execute('SELECT v FROM t ORDER BY v')).rows.map((r) => r.v)).toEqual(['a', 'c']);
  });

  it('runs statements with large arguments, each with its own values', async () => {
    const client = open();
    await client.execute('CREATE TABLE t (v TEXT)');
    const insert = 'INSERT INTO t VALUES (?)';
    await client.execute({ sql: insert, args: ['a'.repeat(100_000)] });
    await client.execute({ sql: insert, args: ['b'] });
    await client.execute({ sql: insert, args: ['c'.repeat(200_000)] });
    const rows = await client.execute('SELECT substr(v, 1, 1) AS first, length(v) AS size FROM t');
    expect(rows.rows.map((r) => [r.first, r.size])).toEqual([
      ['a', 100_000],
      ['b', 1],
      ['c', 200_000],
    ]);
  });
});
