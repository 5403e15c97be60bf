import { emailAddressProblem, normalizeAddress } from '../email-address';
import type { Logger } from '../ports';
import { rejectSubmission, type SubmissionLogContext } from './rejection';

export interface RecipientInput {
  email: string;
  name?: string | undefined;
}

/** One distinct recipient: a row of its own, however often it was named across to, cc and bcc. */
export interface Recipient {
  /** As the caller first wrote it; the relay uses it as is. */
  address: string;
  /** Lower-cased: what duplicates, suppressions and quotas compare. */
  key: string;
  name?: string | undefined;
}

/** Checks every address and the count, then collapses duplicates (any case) to the first mention. */
export function collectRecipients(
  logger: Logger,
  log: SubmissionLogContext,
  named: readonly RecipientInput[],
  maxRecipients: number,
): Recipient[] {
  if (named.length === 0) {
    throw rejectSubmission(
      logger,
      log,
      'Invalid recipient',
      'MissingParameter',
      'recipients: name at least one',
    );
  }
  if (named.length > maxRecipients) {
    throw rejectSubmission(
      logger,
      log,
      'Invalid recipient',
      'InvalidParameter',
      `recipients: at most ${maxRecipients} recipients (to, cc and bcc together) per message`,
    );
  }
  const distinct = new Map<string, Recipient>();
  for (const { email, name } of named) {
    const problem = emailAddressProblem(email);
    if (problem) {
      throw rejectSubmission(
        logger,
        log,
        'Invalid recipient',
        'InvalidParameter',
        `recipients: ${JSON.stringify(email.slice(0, 254))} ${problem}`,
        email.slice(0, 254),
      );
    }
    const key = normalizeAddress(email);
    if (!distinct.has(key)) distinct.set(key, { address: email, key, name });
  }
  return [...distinct.values()];
}
