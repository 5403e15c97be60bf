import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors';
import type { Regions } from '../regions';
import type { AppEnv } from './app-env';

const MAX_REGION_ID = 64;

/** Takes the region from the first path segment: `/<region-id>/20170907/...`. */
export const regionFromPath = (regions: Regions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const id = c.req.param('region') ?? '';
    if (id.length > MAX_REGION_ID)
      throw new DomainError('NotAuthorizedOrNotFound', 'That region is not served here');
    c.set('region', await regions.open(id));
    await next();
  });

/** Takes the region from the host: `<service>.email.<region-id>.<baseDomain>`. */
export const regionFromHost = (regions: Regions, baseDomain: string | undefined) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const host = new URL(c.req.url).hostname.toLowerCase();
    const suffix = `.${baseDomain ?? ''}`;
    const match =
      baseDomain && host.endsWith(suffix)
        ? /^[a-z0-9]+(?:\.[a-z0-9]+)?\.email\.([a-z0-9-]+)$/.exec(host.slice(0, -suffix.length))
        : null;
    if (!match?.[1]) {
      throw new DomainError(
        'NotAuthorizedOrNotFound',
        'Name a region in the path (/<region>/...) or the host',
      );
    }
    c.set('region', await regions.open(match[1]));
    await next();
  });
