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

const codeOf = (value: unknown): string | undefined =>
  value instanceof Error && 'code' in value && typeof value.code === 'string' ? value.code : undefined;

/**
 * What a log line may say about an unexpected error: its name, its (or its cause's) code and its first
 * line. A failed query's message goes on to list its parameters, which hold addresses and message data.
 */
export function errorSummary(error: unknown): { error: string; code?: string; detail: string } {
  if (!(error instanceof Error)) return { error: typeof error, detail: '' };
  const code = codeOf(error) ?? codeOf(error.cause);
  return {
    error: error.name,
    ...(code === undefined ? {} : { code }),
    detail: error.message.split('\n', 1)[0] ?? '',
  };
}
