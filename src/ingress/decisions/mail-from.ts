import { emailAddressProblem } from '../../domain/email-address';
import { reply, type SmtpReply } from '../smtp-reply';
import type { SenderCheck } from '../submitter';
import { STARTTLS_FIRST } from './auth';

export interface MailFromFacts {
  secure: boolean;
  authenticated: boolean;
  address: string;
}

export const AUTH_REQUIRED = reply(530, '5.7.0', 'Authentication required');

/** What MAIL FROM needs before the sender is looked up: TLS, a login, and a well-formed address. */
export function beforeMailFrom(facts: MailFromFacts): SmtpReply | undefined {
  if (!facts.secure) return STARTTLS_FIRST;
  if (!facts.authenticated) return AUTH_REQUIRED;
  if (facts.address === '') {
    return reply(550, '5.7.1', 'The null sender cannot submit mail; name an approved sender');
  }
  const problem = emailAddressProblem(facts.address);
  if (problem) return reply(553, '5.1.7', `The sender address ${problem}`);
  return undefined;
}

export function afterSenderCheck(check: SenderCheck, address: string, region: string): SmtpReply {
  switch (check.kind) {
    case 'approved':
      return reply(250, '2.1.0', 'Sender ok');
    case 'refused':
      return reply(
        550,
        '5.7.1',
        `${address} is not an active approved sender in region ${region} that you may use`,
      );
    case 'unavailable':
      return reply(451, '4.3.0', 'The sender cannot be checked now; try again later');
  }
}
