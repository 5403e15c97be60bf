import type { RegionStore } from '../../domain/ports';
import type { Coalescing } from '../sql/coalescer';
import type { SqlDatabase } from '../database';
import { deliveryRepository } from './deliveries';
import { feedbackStore } from './feedback';
import { purgeDeletedSenders, senderRepository } from './senders';
import { recordSpfCheck, sendersDueForSpf } from './sender-spf';
import { submissionLoaders } from './submission-loaders';
import { purgeQuotaWindows, purgeSubmissions } from './submission-purge';
import { submissionStore } from './submissions';
import { suppressionRepository } from './suppressions';
import { perTenancy } from './per-tenancy';

/**
 * A region's store closes over that region's database and nothing else. With `coalescing`, the submit
 * path's reads and writes of concurrent requests share statements and one transaction.
 */
export function createRegionStore(database: SqlDatabase, coalescing: Coalescing = {}): RegionStore {
  const { db } = database;
  const loaders = submissionLoaders(database, coalescing);
  return {
    forTenancy: perTenancy((tenancyId) => ({
      senders: senderRepository(db, tenancyId),
      suppressions: suppressionRepository(db, tenancyId),
      submissions: submissionStore(db, tenancyId, loaders),
    })),
    purgeDeletedSenders: (before, limit) => purgeDeletedSenders(db, before, limit),
    purgeSubmissions: (before, limit) => purgeSubmissions(database, before, limit),
    purgeQuotaWindows: (before) => purgeQuotaWindows(db, before),
    sendersDueForSpf: (checkedBefore, limit) => sendersDueForSpf(db, checkedBefore, limit),
    recordSpfCheck: (id, check) => recordSpfCheck(db, id, check),
    deliveries: deliveryRepository(database),
    feedback: feedbackStore(db),
  };
}
