import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openLibsql } from '../../../src/platform/libsql';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('waits out another process holding the write lock with every statement issued at once, rather than failing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'email-busy-'));
  dirs.push(dir);
  const url = `file:${join(dir, 'region.db')}`;
  const database = await openLibsql({ url });
  await database.client.execute('CREATE TABLE t (v INTEGER)');

  // Another process, an operator's shell: it holds the write lock for half a second. (Not this process:
  // a connection waiting for the lock blocks this thread, so a holder here could never let go.)
  const holder = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { createClient } from '@libsql/client';
       const client = createClient({ url: ${JSON.stringify(url)} });
       const held = await client.transaction('write');
       await held.execute('INSERT INTO t VALUES (0)');
       console.log('holding');
       await new Promise((resolve) => setTimeout(resolve, 500));
       await held.commit();`,
    ],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => holder.stdout.once('data', resolve));
  const released = new Promise((resolve) => holder.once('exit', resolve));

  // Issued at once, as requests issue them: each must wait, none may fail on a connection without the timeout.
  await Promise.all([1, 2, 3].map((v) => database.batch([{ sql: 'INSERT INTO t VALUES (?)', params: [v] }])));
  await released;
  expect((await database.client.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(4);
  database.client.close();
});

it('runs every statement with the pragmas it was opened with, however many are issued at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'email-pragmas-'));
  dirs.push(dir);
  const database = await openLibsql({ url: `file:${join(dir, 'region.db')}` });
  const read = (pragma: string) =>
    Promise.all(
      Array.from({ length: 8 }, async () => {
        const { rows } = await database.client.execute(`PRAGMA ${pragma}`);
        return Object.values(rows[0] ?? {})[0];
      }),
    );
  expect(await read('synchronous')).toEqual(Array(8).fill(1)); // NORMAL
  expect(await read('busy_timeout')).toEqual(Array(8).fill(5000));
  expect(await read('wal_autocheckpoint')).toEqual(Array(8).fill(10000));
  database.client.close();
});
