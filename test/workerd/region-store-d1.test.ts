import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import { d1Database } from '../../src/platform/d1';
import { createRegionStore } from '../../src/store/region/region-store';
import {
  deliveries,
  quotaUsage,
  schema,
  senders,
  submissionParts,
  submissions,
  suppressions,
} from '../../src/store/schema';
import { describeRegionStoreContract } from '../contracts/region-store-contract';

// The pool keeps D1 contents across tests in a file, so each test starts by emptying the tables.
describeRegionStoreContract('D1', async () => {
  const db = drizzle(env.DB_PHX, { schema });
  await db.batch([
    db.delete(senders),
    db.delete(suppressions),
    db.delete(submissionParts),
    db.delete(deliveries),
    db.delete(submissions),
    db.delete(quotaUsage),
  ]);
  return createRegionStore(d1Database(env.DB_PHX));
});
