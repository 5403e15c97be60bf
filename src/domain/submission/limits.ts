/** A region's submission limits, from configuration. */
export interface SubmissionLimits {
  maxMessageBytes: number;
  maxRecipients: number;
  emailsPerDay: number;
  emailsPerMinute: number;
  /** How long after acceptance a queued recipient expires. */
  giveUpMs: number;
}
