import type { DeliveryFeedback } from '../feedback/feedback-config';
import type { ClaimedDelivery, DeliveryDecision, RegionHandle, RelayMessage, Runtime } from '../ports';
import { RETRY_INTERVALS_MS } from './retry-schedule';

export interface DeliveryLimits {
  batchSize: number;
  maxBatches: number;
  concurrency: number;
  leaseMs: number;
  /** An attempt starts only while at least this much of the lease is left. */
  attemptBudgetMs: number;
  /** Attempts recorded per write; a crash loses at most this many records (those rows are sent again). */
  completionGroup: number;
  /** The longest a recorded attempt waits for its group to fill before it is written anyway. */
  completionDelayMs: number;
  /** Message bytes a batch reads up front in one query; larger batches read the rest one by one. */
  prefetchBytes: number;
  retryIntervalsMs: readonly number[];
}

/** Tries of a copy whose transform keeps failing before it is failed: a broken key does not fix itself. */
export const TRANSFORM_ATTEMPTS = 3;

export const DELIVERY_LIMITS: Readonly<DeliveryLimits> = Object.freeze({
  batchSize: 100, // one claiming UPDATE per 100 rows keeps each D1 statement small
  maxBatches: 50, // bounds one run to 5,000 rows; the caller runs again while rows remain
  concurrency: 8, // a few more sends in flight than the relay pool has connections keeps them busy
  leaseMs: 10 * 60_000, // a crashed worker's rows come back after this
  attemptBudgetMs: 5 * 60_000, // connect, greeting and four replies at the relay's longest timeouts
  completionGroup: 20, // amortizes the commit; bounds what a crash can send twice
  completionDelayMs: 200, // with the group, bounds how long a sent copy goes unrecorded
  prefetchBytes: 16 * 1024 * 1024, // a batch of small messages in one read, without holding many big ones
  retryIntervalsMs: RETRY_INTERVALS_MS,
});

/** One recorded attempt (or suppression) of one recipient's copy, as an outcome listener hears it. */
export interface DeliveryOutcome {
  region: string;
  deliveryId: string;
  tenancyId: string;
  messageId: string;
  sender: string;
  recipient: string;
  decision: DeliveryDecision;
  /** Attempts made so far, this one included. */
  attempts: number;
  code: number | undefined;
  enhanced: string | undefined;
  detail: string | undefined;
  at: Date;
}

/** Where delivery can be extended without touching its steps; both are optional. */
export interface DeliveryHooks {
  /**
   * Rewrites each recipient's copy right before it is relayed, after the unsubscribe link is added. A
   * throw keeps the copy from being sent: it is retried like a refused connection, and failed after
   * TRANSFORM_ATTEMPTS tries.
   */
  transformCopy?: (copy: RelayMessage, row: ClaimedDelivery, region: RegionHandle) => Promise<RelayMessage>;
  /** Hears each attempt once it is recorded: delivered, retrying, failed, expired or suppressed. */
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

/** One delivery run of one region: who runs it, under which limits, and what it feeds back. */
export interface DeliveryRun {
  rt: Runtime;
  region: RegionHandle;
  /** The lease owner the run's claims are made under. */
  owner: string;
  limits: DeliveryLimits;
  feedback: DeliveryFeedback;
  hooks: DeliveryHooks;
  signal: AbortSignal | undefined;
}
