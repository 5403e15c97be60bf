import { and, desc, eq } from 'drizzle-orm';
import type {
  CausedSuppression,
  FeedbackReportKind,
  FeedbackReportStatus,
  FeedbackStore,
} from '../../domain/feedback/ports';
import type { SuppressionReason } from '../../domain/feedback/ports';
import type { Database } from '../database';
import { keysetClauses, toPage } from '../sql/keyset';
import { deliveries, feedbackReports, submissions } from '../schema';

type ReportRow = typeof feedbackReports.$inferSelect;

const causedOf = (stored: ReportRow['suppressions']): CausedSuppression[] =>
  stored.map((s) => ({ ...s, reason: s.reason as SuppressionReason }));

function toReport(row: ReportRow) {
  return {
    ...row,
    kind: row.kind as FeedbackReportKind,
    status: row.status as FeedbackReportStatus,
    suppressions: causedOf(row.suppressions),
    timeReceived: new Date(row.timeReceived),
  };
}

/** The columns a tenancy's list shows: never the excerpt of the raw report. */
const summaryColumns = {
  id: feedbackReports.id,
  kind: feedbackReports.kind,
  status: feedbackReports.status,
  messageId: feedbackReports.messageId,
  detail: feedbackReports.detail,
  sizeBytes: feedbackReports.sizeBytes,
  suppressions: feedbackReports.suppressions,
  timeReceived: feedbackReports.timeReceived,
};

/** A Message-ID is unique per tenancy; more than this many tenancies sharing one is not a match worth trying. */
const MAX_SENT_MATCHES = 5;
const MAX_RECIPIENTS_READ = 1_000; // a submission's recipient ceiling

export function feedbackStore(db: Database): FeedbackStore {
  return {
    async findSent(messageId) {
      const found = await db
        .select({ id: submissions.id, tenancyId: submissions.tenancyId, sender: submissions.sender })
        .from(submissions)
        .where(eq(submissions.messageId, messageId))
        .limit(MAX_SENT_MATCHES);
      const sent = [];
      for (const submission of found) {
        const rows = await db
          .select({ recipient: deliveries.recipient })
          .from(deliveries)
          .where(eq(deliveries.submissionId, submission.id))
          .limit(MAX_RECIPIENTS_READ);
        sent.push({
          tenancyId: submission.tenancyId,
          messageId,
          sender: submission.sender,
          recipients: rows.map((row) => row.recipient.toLowerCase()),
        });
      }
      return sent;
    },

    async findCopy(deliveryId) {
      const [row] = await db
        .select({
          tenancyId: deliveries.tenancyId,
          messageId: deliveries.messageId,
          sender: deliveries.sender,
          recipient: deliveries.recipient,
        })
        .from(deliveries)
        .where(eq(deliveries.id, deliveryId))
        .limit(1);
      return row && { ...row, recipients: [row.recipient.toLowerCase()] };
    },

    async saveReport(report) {
      await db.insert(feedbackReports).values({ ...report, timeReceived: report.timeReceived.getTime() });
    },

    async listReports(limit) {
      const rows = await db
        .select()
        .from(feedbackReports)
        .orderBy(desc(feedbackReports.timeReceived), desc(feedbackReports.id))
        .limit(limit);
      return rows.map(toReport);
    },

    async listTenancyReports(tenancyId, options) {
      const { after, orderBy } = keysetClauses(feedbackReports.timeReceived, feedbackReports.id, options);
      const rows = await db
        .select(summaryColumns)
        .from(feedbackReports)
        .where(and(eq(feedbackReports.tenancyId, tenancyId), after))
        .orderBy(...orderBy)
        .limit(options.limit + 1);
      return toPage(
        rows,
        options.limit,
        (row) => row.timeReceived,
        (row) => row.id,
        (row) => ({
          ...row,
          kind: row.kind as FeedbackReportKind,
          status: row.status as FeedbackReportStatus,
          suppressions: causedOf(row.suppressions),
          timeReceived: new Date(row.timeReceived),
        }),
      );
    },
  };
}
