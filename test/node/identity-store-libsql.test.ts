import { NODE_COALESCING } from '../../src/platform/libsql';
import { createIdentityStore } from '../../src/store/identity/identity-store';
import { describeIdentityStoreContract } from '../contracts/identity-store-contract';
import { memoryLibsql } from '../support/memory-libsql';

const openMemory = memoryLibsql();

describeIdentityStoreContract('libSQL', async () => createIdentityStore((await openMemory()).db));

describeIdentityStoreContract('libSQL, lookups coalesced as in the Node entry', async () =>
  createIdentityStore((await openMemory()).db, NODE_COALESCING),
);
