import { emailAddressProblem } from '../../domain/email-address';
import { reply, type SmtpReply } from '../smtp-reply';

export interface RcptToFacts {
  address: string;
  /** Recipients already accepted in this transaction. */
  accepted: number;
  maxRecipients: number;
}

/** What RCPT TO needs before the suppression list is asked: room in the transaction and a well-formed address. */
export function beforeRcptTo(facts: RcptToFacts): SmtpReply | undefined {
  if (facts.accepted >= facts.maxRecipients) {
    return reply(452, '4.5.3', `Too many recipients: at most ${facts.maxRecipients} per message`);
  }
  const problem = emailAddressProblem(facts.address);
  if (problem) return reply(501, '5.1.3', `The recipient address ${problem}`);
  return undefined;
}

export type SuppressionCheck = 'suppressed' | 'clear' | 'unavailable';

/** A suppressed recipient is refused for good and says why; the transaction goes on with the others. */
export function afterSuppressionCheck(check: SuppressionCheck, address: string, region: string): SmtpReply {
  switch (check) {
    case 'clear':
      return reply(250, '2.1.5', 'Recipient ok');
    case 'suppressed':
      return reply(
        550,
        '5.7.1',
        `Recipient suppressed: ${address} is on the suppression list of region ${region}`,
      );
    case 'unavailable':
      return reply(451, '4.3.0', 'The recipient cannot be checked now; try again later');
  }
}
