import { createMiddleware } from 'hono/factory';
import { DomainError } from '../domain/errors';
import type { Regions } from '../domain/regions';
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

/** The region id a host names: `<service>.email.<region-id>.<baseDomain>`, e.g. `cell0.submit.email.us-phoenix-1.<baseDomain>`. */
export function regionIdFromHost(url: string, baseDomain: string | undefined): string {
  const host = new URL(url).hostname.toLowerCase();
  const suffix = `.${baseDomain ?? ''}`;
  const match =
    baseDomain && host.endsWith(suffix)
      ? /^[a-z0-9]+(?:\.[a-z0-9]+)?\.email\.([a-z0-9-]+)$/.exec(host.slice(0, -suffix.length))
      : null;
  if (!match?.[1] || match[1].length > MAX_REGION_ID) {
    throw new DomainError('NotAuthorizedOrNotFound', 'Name a region in the path (/<region>/...) or the host');
  }
  return match[1];
}

/** Takes the region from the host: `<service>.email.<region-id>.<baseDomain>`. */
export const regionFromHost = (regions: Regions, baseDomain: string | undefined) =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set('region', await regions.open(regionIdFromHost(c.req.url, baseDomain)));
    await next();
  });
