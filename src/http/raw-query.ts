import { validator } from 'hono/validator';
import type { z } from 'zod';
import { DomainError } from '../domain/errors';
import { validationError } from './validation';

const MAX_QUERY_PARAMS = 32; // every list call has fewer; more is abuse

/**
 * Parses the query as the OCI SDK sends it: values are not form-encoded, so `+` is a literal plus,
 * never a space (URLSearchParams and Hono's own parser would turn it into one).
 */
export function parseRawQuery(url: string): Record<string, string> {
  const start = url.indexOf('?');
  const result: Record<string, string> = {};
  if (start < 0) return result;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .filter(Boolean);
  if (pairs.length > MAX_QUERY_PARAMS) throw new DomainError('InvalidParameter', 'Too many query parameters');
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    try {
      const key = decodeURIComponent(rawKey);
      if (Object.hasOwn(result, key))
        throw new DomainError('InvalidParameter', `${key}: given more than once`);
      result[key] = decodeURIComponent(rawValue);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('InvalidParameter', 'The query string is not valid percent-encoding');
    }
  }
  return result;
}

/** Validates the raw query with `schema`; read the result with `c.req.valid('query')`. */
export function validQuery<Schema extends z.ZodType>(schema: Schema) {
  return validator('query', (_value, c): z.output<Schema> => {
    const parsed = schema.safeParse(parseRawQuery(c.req.url));
    if (!parsed.success) throw validationError(parsed.error);
    return parsed.data;
  });
}
