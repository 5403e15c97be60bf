import type { RegionStore } from '../domain/ports';
import type { Database } from './database';
import { deliveryRepository } from './delivery-repository';
import { feedbackStore } from './feedback-store';
import { purgeDeletedSenders, senderRepository } from './sender-repository';
import { recordSpfCheck, sendersDueForSpf } from './sender-spf';
import { submissionStore } from './submission-store';
import { suppressionRepository } from './suppression-repository';

/** A region's store closes over that region's database and nothing else. */
export function createRegionStore(db: Database): RegionStore {
  return {
    forTenancy: (tenancyId) => ({
      senders: senderRepository(db, tenancyId),
      suppressions: suppressionRepository(db, tenancyId),
      submissions: submissionStore(db, tenancyId),
    }),
    purgeDeletedSenders: (before, limit) => purgeDeletedSenders(db, before, limit),
    sendersDueForSpf: (checkedBefore, limit) => sendersDueForSpf(db, checkedBefore, limit),
    recordSpfCheck: (id, check) => recordSpfCheck(db, id, check),
    deliveries: deliveryRepository(db),
    feedback: feedbackStore(db),
  };
}
