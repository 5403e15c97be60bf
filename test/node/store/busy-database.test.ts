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

it('waits out another process holding the write lock on every connection of its pool, rather than failing', async () => {
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

  // A read in progress holds the pool's first connection, so the write borrows another: it must wait too.
  const reading = await database.client.transaction('read');
  await reading.execute('SELECT count(*) FROM t');
  await database.batch([{ sql: 'INSERT INTO t VALUES (?)', params: [1] }]);
  reading.close();
  await released;
  expect((await database.client.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(2);
  database.client.close();
});
