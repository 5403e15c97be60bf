import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors';
import type { Logger } from '../domain/ports';
import type { SubmissionLimits } from '../domain/submission/limits';
import type { AppEnv } from './app-env';

// JSON escaping can double a message's text; the composed message itself is measured exactly afterwards.
const JSON_BODY_FACTOR = 2;
const JSON_BODY_SLACK = 64 * 1024; // addresses, subject and header fields around the bodies

/**
 * Refuses an oversized submission from its Content-Length, or while a chunked body streams in, before
 * the signature check reads it: nothing larger than the limit is ever buffered.
 */
export const limitSubmissionBody = (limits: SubmissionLimits, logger: Logger) => {
  const refuse = (max: number) =>
    bodyLimit({
      maxSize: max,
      onError: (c) => {
        logger.warn('email.rejected', {
          action: 'rejected',
          errorType: 'Byte limit exceeded',
          region: c.req.param('region'),
          code: 'PayloadTooLarge',
        });
        throw new DomainError('PayloadTooLarge', `The request body must be at most ${max} bytes`);
      },
    });
  const rawMax = limits.maxMessageBytes;
  const jsonMax = limits.maxMessageBytes * JSON_BODY_FACTOR + JSON_BODY_SLACK;
  const raw = refuse(rawMax);
  const json = refuse(jsonMax);
  return createMiddleware<AppEnv>((c, next) => {
    const isRaw = c.req.path.endsWith('/submitRawEmail');
    // A declared length is checked from the header alone: the HTTP parser never reads past it, and
    // looking at the body stream (as the streaming check does) costs more than the rest of the check.
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^\d+$/.test(declared) && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) <= (isRaw ? rawMax : jsonMax)) return next();
    }
    return (isRaw ? raw : json)(c, next);
  });
};
