import { afterEach } from 'vitest';
import { openLibsql, type LibsqlDatabase } from '../../src/platform/libsql';

/** Opens migrated in-memory libSQL databases for the tests of one file, closing each after its test. */
export function memoryLibsql(): () => Promise<LibsqlDatabase> {
  const opened: LibsqlDatabase[] = [];
  afterEach(() => {
    for (const database of opened.splice(0)) database.client.close();
  });
  return async () => {
    const database = await openLibsql({ url: ':memory:' });
    opened.push(database);
    return database;
  };
}
