import type { Context, MiddlewareHandler, ValidationTargets } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { DomainError } from '../domain/errors';

type Issue = z.core.$ZodIssue;

function describe(issue: Issue): DomainError {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path ? ` in ${path}` : '';
    return new DomainError('InvalidParameter', `Unknown field${where}: ${issue.keys.join(', ')}`);
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return new DomainError('MissingParameter', `${path || 'body'} is required`);
  }
  return new DomainError('InvalidParameter', path ? `${path}: ${issue.message}` : issue.message);
}

export function validationError(error: z.core.$ZodError): DomainError {
  const first = error.issues[0];
  return first ? describe(first) : new DomainError('InvalidParameter', 'Invalid request');
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const utf8 = new TextDecoder();

/**
 * The JSON body as Hono's validator reads it (`{}` for another media type, 400 when malformed), parsed from
 * the bytes Hono kept when the signature check read them: asking `c.req.json()` for it would have Hono wrap
 * those bytes in a new Response first, which costs ten times the parse.
 */
async function jsonBody(c: Context): Promise<unknown> {
  const mediaType = (c.req.header('content-type') ?? '').split(';', 1)[0]?.trim() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) return {};
  try {
    return JSON.parse(utf8.decode(await c.req.arrayBuffer())) as unknown;
  } catch {
    throw new HTTPException(400, { message: 'Malformed JSON in request body' });
  }
}

/** zod validation whose failures become OCI 400 errors naming the offending field. */
export function valid<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  const check = zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(result.error);
  });
  if (target !== 'json') return check;
  // The same contract as the zod validator's, with the body read as above.
  const validJson: MiddlewareHandler = async (c, next) => {
    const result = await schema.safeParseAsync(await jsonBody(c));
    if (!result.success) throw validationError(result.error);
    c.req.addValidatedData('json', result.data as object);
    await next();
  };
  return validJson as typeof check;
}
