import type { FeedbackReportSummary } from '../domain/feedback/ports';

/** A report in the list: what it was and did, never its raw text. */
export const feedbackReportWire = (report: FeedbackReportSummary) => ({
  id: report.id,
  kind: report.kind,
  status: report.status,
  messageId: report.messageId,
  detail: report.detail,
  sizeBytes: report.sizeBytes,
  suppressions: report.suppressions,
  timeReceived: report.timeReceived.toISOString(),
});
