export type DomainErrorCode =
  | 'CannotParseRequest'
  | 'InvalidParameter'
  | 'MissingParameter'
  | 'LimitExceeded'
  | 'NotAuthenticated'
  | 'NotAuthorizedOrNotFound'
  | 'NotFound'
  | 'Conflict'
  | 'NoEtagMatch'
  | 'PayloadTooLarge'
  | 'TooManyRequests'
  | 'InternalServerError';

/** The one error the domain raises on purpose; the HTTP layer maps its code to OCI's status. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError =>
  new DomainError('NotAuthorizedOrNotFound', `${what} not found or not authorized`);

export const invalid = (field: string, problem: string): DomainError =>
  new DomainError('InvalidParameter', `${field}: ${problem}`);
