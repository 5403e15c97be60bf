import { createMiddleware } from 'hono/factory';
import type { Caller } from '../domain/ports';
import type { AppEnv } from './app-env';

/**
 * Decides who sent a request, or throws NotAuthenticated. The one seam every API call passes.
 * `body` reads the request body once; the handler reads the same bytes afterwards.
 */
export type Authenticator = (request: Request, body: () => Promise<ArrayBuffer>) => Promise<Caller>;

export const authenticate = (authenticator: Authenticator) =>
  createMiddleware<AppEnv>(async (c, next) => {
    // Hono keeps the bytes it read: the handler's validator parses these same bytes, never a second read.
    c.set('caller', await authenticator(c.req.raw, () => c.req.arrayBuffer()));
    await next();
  });
