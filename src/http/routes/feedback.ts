import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../../domain/errors';
import type { FeedbackConfig } from '../../domain/feedback/feedback-config';
import { receiveReport } from '../../domain/feedback/receive-report';
import type { Runtime } from '../../domain/ports';
import type { Regions } from '../../regions';

/** A DSN or ARF with the returned headers or message is small; a whole returned message rarely passes this. */
export const MAX_FEEDBACK_REPORT_BYTES = 1024 * 1024;
const MAX_REGION_ID = 64;

const encoder = new TextEncoder();

/** Equal secrets, compared through their SHA-256 digests so the time taken says nothing about either. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all(
    [given, expected].map(
      async (s) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(s))),
    ),
  );
  let diff = 0;
  for (let i = 0; i < (a?.length ?? 0); i++) diff |= (a?.[i] ?? 0) ^ (b?.[i] ?? 0);
  return diff === 0;
}

export interface FeedbackRouteDeps {
  runtime: Runtime;
  regions: Regions;
  feedback: FeedbackConfig;
}

/**
 * POST /<region>/20220926/feedback: raw MIME (a DSN or an ARF report) from the relay or an inbound
 * hook, authenticated with `Authorization: Bearer <FEEDBACK_SECRET>`. Every report is answered 202.
 */
export function feedbackRoutes(deps: FeedbackRouteDeps) {
  return new Hono().post(
    '/:region/20220926/feedback',
    async (c, next) => {
      const secret = deps.feedback.reportSecret;
      const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
      if (!secret || !given || !(await sameSecret(given, secret))) {
        throw new DomainError('NotAuthenticated', 'Feedback reports need the feedback secret');
      }
      await next();
    },
    bodyLimit({
      maxSize: MAX_FEEDBACK_REPORT_BYTES,
      onError: () => {
        throw new DomainError(
          'PayloadTooLarge',
          `A report must be at most ${MAX_FEEDBACK_REPORT_BYTES} bytes`,
        );
      },
    }),
    async (c) => {
      const id = c.req.param('region');
      if (id.length > MAX_REGION_ID)
        throw new DomainError('NotAuthorizedOrNotFound', 'That region is not served here');
      const region = await deps.regions.open(id);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const raw = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
      const receipt = await receiveReport(
        deps.runtime,
        region,
        deps.feedback.delivery.softBounces,
        deps.feedback.tokens,
        raw,
        bytes.length,
      );
      return c.json(receipt, 202);
    },
  );
}
