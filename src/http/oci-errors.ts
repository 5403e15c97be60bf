import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, errorSummary, STATUS_OF_CODE, type DomainErrorCode } from '../domain/errors';
import type { Logger } from '../domain/ports';

export function ociError(c: Context, code: DomainErrorCode, message: string): Response {
  return c.json({ code, message }, STATUS_OF_CODE[code]);
}

function fromHttpException(error: HTTPException): DomainError {
  if (error.status === 413) return new DomainError('PayloadTooLarge', 'The request body is too large');
  if (error.status === 400)
    return new DomainError('CannotParseRequest', error.message || 'Malformed request');
  if (error.status === 401) return new DomainError('NotAuthenticated', 'The request is not authenticated');
  return new DomainError('InternalServerError', 'Internal error');
}

/** The one place errors become OCI `{ code, message }` bodies; a 500 never carries internals. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const known =
      error instanceof DomainError
        ? error
        : error instanceof HTTPException
          ? fromHttpException(error)
          : undefined;
    if (known && known.code !== 'InternalServerError') return ociError(c, known.code, known.message);
    const request = { method: c.req.method, path: new URL(c.req.url).pathname, ...errorSummary(error) };
    // A client that hangs up mid-body is routine; nobody is left to read the answer.
    if (c.req.raw.signal.aborted) logger.info('request.abandoned', request);
    else logger.error('request.failed', request);
    return ociError(c, 'InternalServerError', 'Internal error');
  };
}

export function notFoundHandler(c: Context): Response {
  return ociError(c, 'NotFound', `No operation for ${c.req.method} ${new URL(c.req.url).pathname}`);
}
