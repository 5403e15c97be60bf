import { desc, eq } from 'drizzle-orm';
import type { FeedbackReportKind, FeedbackReportStatus, FeedbackStore } from '../domain/feedback/ports';
import type { Database } from './database';
import { deliveries, feedbackReports, submissions } from './schema';

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

    async saveReport(report) {
      await db.insert(feedbackReports).values({ ...report, timeReceived: report.timeReceived.getTime() });
    },

    async listReports(limit) {
      const rows = await db
        .select()
        .from(feedbackReports)
        .orderBy(desc(feedbackReports.timeReceived), desc(feedbackReports.id))
        .limit(limit);
      return rows.map((row) => ({
        ...row,
        kind: row.kind as FeedbackReportKind,
        status: row.status as FeedbackReportStatus,
        timeReceived: new Date(row.timeReceived),
      }));
    },
  };
}
