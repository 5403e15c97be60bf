import type { RegionStore } from '../../domain/ports';
import type { SubmissionStore } from '../../domain/submission/ports';
import type { Coalescing } from '../sql/coalescer';
import type { SqlDatabase } from '../database';
import { deliveryRepository } from './deliveries';
import { deliveryEventRepository, purgeEvents } from './delivery-events';
import { emailDomainUpkeep, emailDomainRepository } from './email-domains';
import { feedbackStore } from './feedback';
import { purgeDeletedSenders, senderRepository } from './senders';
import { recordSpfCheck, sendersDueForSpf } from './sender-spf';
import { submissionLoaders } from './submission-loaders';
import { purgeQuotaWindows, purgeSubmissions } from './submission-purge';
import { submissionStore } from './submissions';
import { suppressionRepository } from './suppressions';
import { perTenancy } from './per-tenancy';
import { webhookQueue, webhookRepository } from './webhooks';

export interface RegionStoreOptions {
  /** With the submit path's reads and writes of concurrent requests sharing statements and one transaction. */
  coalescing?: Coalescing;
  /** false: no delivery event is written (EVENT_LOG=off), so none is listed or posted. */
  eventLog?: boolean;
}

/** The store without its event log: acceptances and completions are written without their events. */
function withoutEvents(submissions: SubmissionStore): SubmissionStore {
  return {
    ...submissions,
    accept: (acceptance, now) => submissions.accept({ ...acceptance, events: [] }, now),
  };
}

/** A region's store closes over that region's database and nothing else. */
export function createRegionStore(database: SqlDatabase, options: RegionStoreOptions = {}): RegionStore {
  const { db } = database;
  const eventLog = options.eventLog ?? true;
  const loaders = submissionLoaders(database, options.coalescing ?? {});
  return {
    forTenancy: perTenancy((tenancyId) => ({
      senders: senderRepository(db, tenancyId),
      emailDomains: emailDomainRepository(database, tenancyId),
      suppressions: suppressionRepository(db, tenancyId),
      submissions: eventLog
        ? submissionStore(db, tenancyId, loaders)
        : withoutEvents(submissionStore(db, tenancyId, loaders)),
      events: deliveryEventRepository(database, tenancyId, eventLog),
      webhooks: webhookRepository(database, tenancyId),
    })),
    purgeDeletedSenders: (before, limit) => purgeDeletedSenders(db, before, limit),
    purgeSubmissions: (before, limit) => purgeSubmissions(database, before, limit),
    purgeQuotaWindows: (before) => purgeQuotaWindows(db, before),
    purgeEvents: (before, limit) => purgeEvents(db, before, limit),
    sendersDueForSpf: (checkedBefore, limit) => sendersDueForSpf(db, checkedBefore, limit),
    recordSpfCheck: (id, check) => recordSpfCheck(db, id, check),
    deliveries: deliveryRepository(database, eventLog),
    feedback: feedbackStore(db),
    webhookQueue: webhookQueue(database),
    emailDomainUpkeep: emailDomainUpkeep(db),
  };
}
