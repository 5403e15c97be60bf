import { Hono } from 'hono';
import { sameSecret } from '../../crypto/same-bytes';
import { DomainError } from '../../domain/errors';

/** A Prometheus text exposition behind a bearer token (Node only). */
export interface MetricsEndpoint {
  token: string;
  contentType: string;
  render: () => Promise<string>;
}

/** GET /metrics for a scraper holding the token; anyone else gets OCI's 401. */
export function metricsRoutes(metrics: MetricsEndpoint) {
  return new Hono().get('/', async (c) => {
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!given || !sameSecret(given, metrics.token)) {
      throw new DomainError('NotAuthenticated', 'The metrics endpoint needs its bearer token');
    }
    return c.body(await metrics.render(), 200, { 'content-type': metrics.contentType });
  });
}
