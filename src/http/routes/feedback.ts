import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { DomainError } from '../../domain/errors';
import type { FeedbackConfig } from '../../domain/feedback/feedback-config';
import { receiveReport } from '../../domain/feedback/receive-report';
import type { Runtime } from '../../domain/ports';
import type { Regions } from '../../domain/regions';
import { limitBody } from '../body-limit';
import { regionIdFromHost } from '../region';
import { sameSecret } from '../../crypto/same-bytes';

/** A DSN or ARF with the returned headers or message is small; a whole returned message rarely passes this. */
export const MAX_FEEDBACK_REPORT_BYTES = 1024 * 1024;
const MAX_REGION_ID = 64;

export interface FeedbackRouteDeps {
  runtime: Runtime;
  regions: Regions;
  feedback: FeedbackConfig;
  /** When set, reports are also taken at `<service>.email.<region>.<baseDomain>/20220926/feedback`. */
  baseDomain: string | undefined;
}

interface FeedbackEnv {
  Variables: { regionId: string };
}

/** Checks the region's own secret before anything else is read; a secret of another region is refused. */
const authenticateFor = (secrets: ReadonlyMap<string, string>, regionIdOf: (c: Context) => string) =>
  createMiddleware<FeedbackEnv>(async (c, next) => {
    const id = regionIdOf(c);
    const secret = secrets.get(id);
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!secret || !given || !sameSecret(given, secret)) {
      throw new DomainError('NotAuthenticated', 'Feedback reports need the feedback secret of their region');
    }
    c.set('regionId', id);
    await next();
  });

const limitReport = () => limitBody(MAX_FEEDBACK_REPORT_BYTES);

function regionIdFromParam(c: Context): string {
  const id = c.req.param('region') ?? '';
  if (id.length > MAX_REGION_ID)
    throw new DomainError('NotAuthorizedOrNotFound', 'That region is not served here');
  return id;
}

/**
 * POST /<region>/20220926/feedback (and the host form): raw MIME (a DSN or an ARF report) from the relay
 * or an inbound hook, authenticated with `Authorization: Bearer <FEEDBACK_SECRET_<KEY> or FEEDBACK_SECRET>`.
 * Every report is answered 202.
 */
export function feedbackRoutes(deps: FeedbackRouteDeps) {
  const receive = async (c: Context<FeedbackEnv>) => {
    const region = await deps.regions.open(c.var.regionId);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const raw = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
    const receipt = await receiveReport(
      deps.runtime,
      region,
      deps.feedback.delivery.softBounces,
      deps.feedback.tokens,
      deps.feedback.returnPaths,
      raw,
      bytes.length,
    );
    return c.json(receipt, 202);
  };
  const secrets = deps.feedback.reportSecrets;
  const routes = new Hono<FeedbackEnv>().post(
    '/:region/20220926/feedback',
    authenticateFor(secrets, regionIdFromParam),
    limitReport(),
    receive,
  );
  const { baseDomain } = deps;
  if (baseDomain === undefined) return routes;
  return routes.post(
    '/20220926/feedback',
    authenticateFor(secrets, (c) => regionIdFromHost(c.req.url, baseDomain)),
    limitReport(),
    receive,
  );
}
