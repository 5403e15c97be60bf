import type { ValidationTargets } from 'hono';
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

/** zod validation whose failures become OCI 400 errors naming the offending field. */
export function valid<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(result.error);
  });
}
