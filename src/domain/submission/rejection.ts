import { DomainError, type DomainErrorCode } from '../errors';
import type { Logger } from '../ports';

/** OCI's acceptance-log error types: what went wrong, in the words of OCI's log fields. */
export type SubmissionErrorType =
  | 'Recipient suppressed'
  | 'Authorization failure'
  | 'Invalid recipient'
  | 'Daily Limit reached'
  | 'Sender Rate Limit reached'
  | 'Byte limit exceeded'
  | 'Message parse error'
  | 'Duplicate message';

export interface SubmissionLogContext {
  region: string;
  sender?: string | undefined;
  messageId?: string | undefined;
}

function logRejection(
  logger: Logger,
  context: SubmissionLogContext,
  errorType: SubmissionErrorType,
  code: DomainErrorCode,
  recipient?: string,
): void {
  logger.warn('email.rejected', {
    action: 'rejected',
    errorType,
    region: context.region,
    sender: context.sender,
    messageId: context.messageId,
    recipient,
    code,
  });
}

/** Logs a refused submission (never its body) and returns the error to throw. */
export function rejectSubmission(
  logger: Logger,
  context: SubmissionLogContext,
  errorType: SubmissionErrorType,
  code: DomainErrorCode,
  message: string,
  recipient?: string,
): DomainError {
  logRejection(logger, context, errorType, code, recipient);
  return new DomainError(code, message);
}

/** Logs a DomainError raised by a check as a refused submission of `errorType`, and returns it to rethrow. */
export function logRejected(
  logger: Logger,
  context: SubmissionLogContext,
  errorType: SubmissionErrorType,
  error: unknown,
): unknown {
  if (error instanceof DomainError) logRejection(logger, context, errorType, error.code);
  return error;
}
