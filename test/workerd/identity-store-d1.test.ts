import { env } from 'cloudflare:workers';
import { d1Database } from '../../src/platform/d1';
import { createIdentityStore } from '../../src/store/identity/identity-store';
import { describeIdentityStoreContract } from '../contracts/identity-store-contract';

// The pool keeps D1 contents across the tests of a file: each test works in a tenancy of its own.
describeIdentityStoreContract('D1', () =>
  Promise.resolve(createIdentityStore(d1Database(env.DB_IDENTITY).db)),
);
