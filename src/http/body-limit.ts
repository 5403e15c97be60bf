import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors';
import type { Logger } from '../domain/ports';
import type { SubmissionLimits } from '../domain/submission/limits';
import type { AppEnv } from './app-env';

// JSON escaping can double a message's text; the composed message itself is measured exactly afterwards.
const JSON_BODY_FACTOR = 2;
const JSON_BODY_SLACK = 64 * 1024; // addresses, subject and header fields around the bodies

/** The largest control-plane or identity body: a sender with tags, or a policy. */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;

/**
 * Refuses a body over `max` bytes from its Content-Length, or while a chunked body streams in, so it
 * runs before the signature check reads the body: nothing larger than the limit is ever buffered.
 * `refused` runs first, to log the refusal.
 */
export const limitBody = (max: number, refused?: (c: Context) => void) => {
  const streamed = bodyLimit({
    maxSize: max,
    onError: (c) => {
      refused?.(c);
      throw new DomainError('PayloadTooLarge', `The request body must be at most ${max} bytes`);
    },
  });
  return createMiddleware((c, next) => {
    // A declared length is checked from the header alone: the HTTP parser never reads past it, and
    // looking at the body stream (as the streaming check does) costs more than the rest of the check.
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^\d+$/.test(declared) && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) <= max) return next();
    }
    return streamed(c, next);
  });
};

/** The data plane's limit: the message size limit for raw MIME, and room for JSON escaping otherwise. */
export const limitSubmissionBody = (limits: SubmissionLimits, logger: Logger) => {
  const logRefusal = (c: Context) => {
    logger.warn('email.rejected', {
      action: 'rejected',
      errorType: 'Byte limit exceeded',
      region: c.req.param('region'),
      code: 'PayloadTooLarge',
    });
  };
  const raw = limitBody(limits.maxMessageBytes, logRefusal);
  const json = limitBody(limits.maxMessageBytes * JSON_BODY_FACTOR + JSON_BODY_SLACK, logRefusal);
  return createMiddleware<AppEnv>((c, next) =>
    (c.req.path.endsWith('/submitRawEmail') ? raw : json)(c, next),
  );
};
