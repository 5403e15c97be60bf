import type { RegionStore } from '../domain/ports';
import type { Coalescing } from './coalescer';
import type { Database } from './database';
import { deliveryRepository } from './delivery-repository';
import { feedbackStore } from './feedback-store';
import { purgeDeletedSenders, senderRepository } from './sender-repository';
import { recordSpfCheck, sendersDueForSpf } from './sender-spf';
import { submissionLoaders } from './submission-loaders';
import { purgeQuotaWindows, purgeSubmissions } from './submission-purge';
import { submissionStore } from './submission-store';
import { suppressionRepository } from './suppression-repository';
import { perTenancy } from './per-tenancy';

/**
 * A region's store closes over that region's database and nothing else. With `coalescing`, the submit
 * path's reads and writes of concurrent requests share statements and one transaction.
 */
export function createRegionStore(db: Database, coalescing: Coalescing = {}): RegionStore {
  const loaders = submissionLoaders(db, coalescing);
  return {
    forTenancy: perTenancy((tenancyId) => ({
      senders: senderRepository(db, tenancyId),
      suppressions: suppressionRepository(db, tenancyId),
      submissions: submissionStore(db, tenancyId, loaders),
    })),
    purgeDeletedSenders: (before, limit) => purgeDeletedSenders(db, before, limit),
    purgeSubmissions: (before, limit) => purgeSubmissions(db, before, limit),
    purgeQuotaWindows: (before) => purgeQuotaWindows(db, before),
    sendersDueForSpf: (checkedBefore, limit) => sendersDueForSpf(db, checkedBefore, limit),
    recordSpfCheck: (id, check) => recordSpfCheck(db, id, check),
    deliveries: deliveryRepository(db),
    feedback: feedbackStore(db),
  };
}
