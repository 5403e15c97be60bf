import { afterEach } from 'vitest';
import { NODE_COALESCING, openLibsql, type LibsqlDatabase } from '../../src/platform/libsql';
import { createRegionStore } from '../../src/store/region-store';
import { describeRegionStoreContract } from '../contracts/region-store-contract';

const opened: LibsqlDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.client.close();
});

describeRegionStoreContract('libSQL', async () => {
  const database = await openLibsql({ url: ':memory:' });
  opened.push(database);
  return createRegionStore(database.db);
});

describeRegionStoreContract('libSQL, reads and writes coalesced as in the Node entry', async () => {
  const database = await openLibsql({ url: ':memory:' });
  opened.push(database);
  return createRegionStore(database.db, NODE_COALESCING);
});
