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

/** OCI's HTTP status for each code: the API answers with it, the SMTP ingress maps it to a reply. */
export const STATUS_OF_CODE = {
  CannotParseRequest: 400,
  InvalidParameter: 400,
  MissingParameter: 400,
  LimitExceeded: 400,
  NotAuthenticated: 401,
  NotAuthorizedOrNotFound: 404,
  NotFound: 404,
  Conflict: 409,
  NoEtagMatch: 412,
  PayloadTooLarge: 413,
  TooManyRequests: 429,
  InternalServerError: 500,
} as const satisfies Record<DomainErrorCode, number>;

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
