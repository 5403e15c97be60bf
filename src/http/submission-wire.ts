import type { MessageState } from '../domain/submission/get-message-state';

const time = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** GET /messages/{messageId}: our extension, each recipient's delivery as recorded. */
export function messageStateWire(state: MessageState) {
  const { submission } = state;
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
    })),
  };
}
