import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors';
import type { Caller } from '../domain/ports';
import type { AppEnv } from './app-env';

/** Decides who sent a request, or throws NotAuthenticated. The one seam every API call passes. */
export type Authenticator = (request: Request) => Promise<Caller>;

export const authenticate = (authenticator: Authenticator) =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set('caller', await authenticator(c.req.raw));
    await next();
  });

/** Until request signing is configured, no request is trusted. */
export const refuseAll: Authenticator = () =>
  Promise.reject(new DomainError('NotAuthenticated', 'The request is not signed with a known key'));

/** AUTH=off: every request acts as the local tenancy's administrator. For local trials only. */
export const localCaller =
  (tenancyId: string): Authenticator =>
  () =>
    Promise.resolve({ tenancyId, userId: `${tenancyId}/local-admin` });
