import { NODE_COALESCING } from '../../src/platform/libsql';
import { createRegionStore } from '../../src/store/region/region-store';
import { describeRegionStoreContract } from '../contracts/region-store-contract';
import { memoryLibsql } from '../support/memory-libsql';

const openMemory = memoryLibsql();

describeRegionStoreContract('libSQL', async () => {
  const database = await openMemory();
  return createRegionStore(database);
});

describeRegionStoreContract('libSQL, reads and writes coalesced as in the Node entry', async () => {
  const database = await openMemory();
  return createRegionStore(database, { coalescing: NODE_COALESCING });
});
