/** A message sent from this region, found by its Message-ID (one per tenancy that used that id). */
export interface SentMessage {
  tenancyId: string;
  messageId: string;
  sender: string;
  /** Lower-case recipients of the message. */
  recipients: string[];
}

export type FeedbackReportKind = 'dsn' | 'arf' | 'unknown';
export type FeedbackReportStatus = 'applied' | 'unmatched' | 'unparseable';

/** A report as received, kept for inspection. */
export interface StoredFeedbackReport {
  id: string;
  kind: FeedbackReportKind;
  status: FeedbackReportStatus;
  tenancyId: string | null;
  messageId: string | null;
  detail: string;
  sizeBytes: number;
  excerpt: string;
  timeReceived: Date;
}

/** Region-wide: reports arrive for the region, not for a tenancy. */
export interface FeedbackStore {
  /** The messages (at most a few: one per tenancy) sent here with this Message-ID, without angle brackets. */
  findSent(messageId: string): Promise<SentMessage[]>;
  saveReport(report: StoredFeedbackReport): Promise<void>;
  /** The newest reports first. */
  listReports(limit: number): Promise<StoredFeedbackReport[]>;
}
