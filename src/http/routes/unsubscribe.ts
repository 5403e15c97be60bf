import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { readUnsubscribeToken, unsubscribe } from '../../domain/feedback/unsubscribe';
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from '../../domain/feedback/unsubscribe-token';
import type { UnsubscribeTokens } from '../../domain/feedback/unsubscribe-token';
import type { RegionHandle, Runtime } from '../../domain/ports';
import { limitBody } from '../body-limit';
import { valid } from '../validation';

/** RFC 8058's body is 26 bytes; a confirm form sends the same. */
const MAX_UNSUBSCRIBE_BODY_BYTES = 1_024;
const ONE_CLICK = 'One-Click';

const tokenPath = valid('param', z.object({ token: z.string().min(1).max(MAX_UNSUBSCRIBE_TOKEN_LENGTH) }));

export interface UnsubscribeRouteDeps {
  runtime: Runtime;
  tokens: UnsubscribeTokens | undefined;
  openRegion: (id: string) => Promise<RegionHandle>;
}

/**
 * Public, unsigned: GET /unsubscribe/{token} shows a confirm page and changes nothing (link scanners
 * follow GETs); POST with `List-Unsubscribe=One-Click` unsubscribes at once (RFC 8058).
 */
export function unsubscribeRoutes(deps: UnsubscribeRouteDeps) {
  return new Hono()
    .get('/:token', tokenPath, async (c) => {
      const { claims } = await readUnsubscribeToken(deps.tokens, deps.openRegion, c.req.valid('param').token);
      return c.html(
        html`<!doctype html>
          <html lang="en">
            <head>
              <meta charset="utf-8" />
              <meta name="robots" content="noindex" />
              <title>Unsubscribe</title>
            </head>
            <body>
              <h1>Unsubscribe</h1>
              <p>Stop mail from ${claims.sender} to ${claims.recipient}?</p>
              <form method="post">
                <input type="hidden" name="List-Unsubscribe" value="${ONE_CLICK}" />
                <button type="submit">Unsubscribe</button>
              </form>
            </body>
          </html>`,
      );
    })
    .post('/:token', limitBody(MAX_UNSUBSCRIBE_BODY_BYTES), tokenPath, async (c) => {
      const { claims, region } = await readUnsubscribeToken(
        deps.tokens,
        deps.openRegion,
        c.req.valid('param').token,
      );
      const form = new URLSearchParams(await c.req.text());
      if (form.get('List-Unsubscribe') !== ONE_CLICK) {
        throw new DomainError('InvalidParameter', 'The body must be List-Unsubscribe=One-Click');
      }
      await unsubscribe(deps.runtime, region, claims);
      return c.text('You are unsubscribed.\n', 200);
    });
}
