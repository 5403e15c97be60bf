import { normalizeAddress } from '../domain/email-address';
import type { MessageState } from '../domain/submission/get-message-state';

const time = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** GET /messages/{messageId}: our extension, each recipient's delivery as recorded. */
export function messageStateWire(state: MessageState) {
  const { submission } = state;
  const suppressed = new Map(state.suppressions.map((s) => [s.emailAddress, s]));
  const suppressionOf = (recipient: string) => {
    const entry = suppressed.get(normalizeAddress(recipient));
    return entry
      ? { reason: entry.reason, timeLastSuppressed: entry.timeLastSuppressed.toISOString() }
      : null;
  };
  return {
    messageId: submission.messageId,
    envelopeId: submission.id,
    sender: submission.sender,
    compartmentId: submission.compartmentId,
    timeCreated: submission.timeCreated.toISOString(),
    recipients: state.deliveries.map((d) => ({
      recipient: d.recipient,
      state: d.state,
      attempts: d.attempts,
      lastSmtpReply:
        d.lastCode === null && d.lastEnhanced === null && d.lastDetail === null
          ? null
          : { code: d.lastCode, enhanced: d.lastEnhanced, detail: d.lastDetail },
      timeCreated: time(d.timeCreated),
      timeUpdated: time(d.timeUpdated),
      nextAttemptAt: time(d.nextAttemptAt),
      giveUpAt: time(d.giveUpAt),
      timeFinal: time(d.timeFinal),
      suppression: suppressionOf(d.recipient),
    })),
  };
}
