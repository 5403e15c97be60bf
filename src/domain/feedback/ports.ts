import type { ListOptions, Page } from '../../values/page';

export const suppressionReasons = [
  'UNKNOWN',
  'HARDBOUNCE',
  'COMPLAINT',
  'MANUAL',
  'SOFTBOUNCE',
  'UNSUBSCRIBE',
] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** A message sent from this region, found by its Message-ID (one per tenancy that used that id). */
export interface SentMessage {
  tenancyId: string;
  messageId: string;
  sender: string;
  /** Lower-case recipients of the message. */
  recipients: string[];
}

export type FeedbackReportKind = 'dsn' | 'arf' | 'unknown';
/** matched: the report names a message of one tenancy, which then sees the report; the others stay the operator's. */
export type FeedbackReportStatus = 'matched' | 'unmatched' | 'unparseable';

/** A suppression a report wrote. */
export interface CausedSuppression {
  suppressionId: string;
  emailAddress: string;
  reason: SuppressionReason;
}

/** A report as received, kept for inspection. */
export interface StoredFeedbackReport {
  id: string;
  kind: FeedbackReportKind;
  status: FeedbackReportStatus;
  /** Set exactly when the status is matched. */
  tenancyId: string | null;
  messageId: string | null;
  detail: string;
  sizeBytes: number;
  excerpt: string;
  suppressions: CausedSuppression[];
  timeReceived: Date;
}

/** A report as a tenancy lists it: no raw text, no excerpt. */
export type FeedbackReportSummary = Omit<StoredFeedbackReport, 'excerpt' | 'tenancyId'>;

/** Region-wide: reports arrive for the region, not for a tenancy. */
export interface FeedbackStore {
  /** The messages (at most a few: one per tenancy) sent here with this Message-ID, without angle brackets. */
  findSent(messageId: string): Promise<SentMessage[]>;
  /** The one copy (recipient row) with this id, as a message sent to that recipient alone. */
  findCopy(deliveryId: string): Promise<SentMessage | undefined>;
  saveReport(report: StoredFeedbackReport): Promise<void>;
  /** The newest reports first, across tenancies: for the operator. */
  listReports(limit: number): Promise<StoredFeedbackReport[]>;
  /** The reports matched to one tenancy's messages, newest first (sortBy is always TIMECREATED). */
  listTenancyReports(tenancyId: string, options: ListOptions): Promise<Page<FeedbackReportSummary>>;
}
