import type { NewDeliveryEvent } from '../events/ports';

/** A recipient row ends in exactly one of the last four states. */
export const deliveryStates = ['QUEUED', 'DELIVERED', 'FAILED', 'SUPPRESSED', 'EXPIRED'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** An accepted submission as stored: what was answered, replayed to a retry of the same request. */
export interface StoredSubmission {
  /** Also the envelopeId the caller was given. */
  id: string;
  requestKey: string | null;
  contentHash: string;
  messageId: string;
  sender: string;
  compartmentId: string;
  response: Record<string, unknown>;
  timeCreated: Date;
}

export type QuotaWindow = 'minute' | 'day';

/** One quota window charged by an acceptance; the write fails as a whole if `limit` would be passed. */
export interface QuotaCharge {
  window: QuotaWindow;
  windowStart: number;
  amount: number;
  limit: number;
}

export interface NewDelivery {
  id: string;
  recipient: string;
  state: Extract<DeliveryState, 'QUEUED' | 'DELIVERED' | 'SUPPRESSED'>;
  nextAttemptAt: Date | null;
  giveUpAt: Date;
  lastDetail: string | null;
  timeFinal: Date | null;
}

/** Everything one accepted submit writes, at once or not at all. */
export interface Acceptance {
  submission: StoredSubmission & { sizeBytes: number };
  /** The message as it will be relayed, in pieces to be joined: a large body stays the one string it came as. */
  message: readonly string[];
  deliveries: NewDelivery[];
  quota: QuotaCharge[];
  /** Lower-case addresses whose suppression was hit now. */
  suppressedHit: string[];
  /** What the acceptance did to each recipient's copy, written with it. */
  events: NewDeliveryEvent[];
}

export type AcceptOutcome = 'accepted' | 'duplicate' | 'over-quota';

/** A recipient's delivery as the state API shows it. */
export interface DeliveryStatus {
  recipient: string;
  state: DeliveryState;
  attempts: number;
  lastCode: number | null;
  lastEnhanced: string | null;
  lastDetail: string | null;
  nextAttemptAt: Date | null;
  giveUpAt: Date;
  timeCreated: Date;
  timeUpdated: Date;
  timeFinal: Date | null;
}

/** One tenancy's submissions in one region. */
export interface SubmissionStore {
  /** Whether `address` (any case) is an ACTIVE approved sender in the compartment. */
  isActiveSender(compartmentId: string, address: string): Promise<boolean>;
  /** Submissions stored under this request key or this Message-ID (either may be undefined). */
  findExisting(requestKey: string | undefined, messageId: string | undefined): Promise<StoredSubmission[]>;
  /** Which of these lower-case addresses are on the tenancy's suppression list here. */
  suppressedAmong(addresses: readonly string[]): Promise<Set<string>>;
  /** Recipients already counted in each window. */
  quotaUsed(windows: readonly { window: QuotaWindow; windowStart: number }[]): Promise<number[]>;
  /** Writes the whole acceptance in one batch; a unique key or a quota taken meanwhile writes nothing. */
  accept(acceptance: Acceptance, now: Date): Promise<AcceptOutcome>;
  /** Recipients of the submission, in the order they were accepted. */
  deliveriesOf(submissionId: string, limit: number): Promise<DeliveryStatus[]>;
}
