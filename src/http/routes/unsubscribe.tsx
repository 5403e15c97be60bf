import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { readUnsubscribeToken, unsubscribe } from '../../domain/feedback/unsubscribe';
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from '../../domain/feedback/unsubscribe-token';
import type { UnsubscribeTokens } from '../../domain/feedback/unsubscribe-token';
import type { RegionHandle, Runtime } from '../../domain/ports';
import { limitBody } from '../body-limit';
import { Document } from '../console/layout';
import { chooseLanguage, fill, messagesOf, type Messages } from '../console/messages';
import { securityHeaders } from '../console/security-headers';
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

/** The recipient's page, in the recipient's language, with the console's stylesheet. */
function RecipientPage(props: { acceptLanguage: string | undefined; children: (t: Messages) => Child }) {
  const lang = chooseLanguage(undefined, props.acceptLanguage);
  const t = messagesOf[lang];
  return (
    <Document lang={lang} title={t.unsubscribeTitle}>
      <main class="signin">
        <h1>{t.unsubscribeTitle}</h1>
        {props.children(t)}
      </main>
    </Document>
  );
}

/**
 * Public, unsigned: GET /unsubscribe/{token} shows a confirm page and changes nothing (link scanners
 * follow GETs); POST with `List-Unsubscribe=One-Click` unsubscribes at once (RFC 8058). Both pages are the
 * console's, in the recipient's language.
 */
export function unsubscribeRoutes(deps: UnsubscribeRouteDeps) {
  return new Hono()
    .use('*', securityHeaders)
    .get('/:token', tokenPath, async (c) => {
      const { claims } = await readUnsubscribeToken(deps.tokens, deps.openRegion, c.req.valid('param').token);
      return c.html(
        <RecipientPage acceptLanguage={c.req.header('accept-language')}>
          {(t) => (
            <>
              <p>{fill(t.unsubscribeQuestion, { sender: claims.sender, recipient: claims.recipient })}</p>
              <form method="post">
                <input type="hidden" name="List-Unsubscribe" value={ONE_CLICK} />
                <button type="submit" class="primary">
                  {t.unsubscribeButton}
                </button>
              </form>
            </>
          )}
        </RecipientPage>,
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
      return c.html(
        <RecipientPage acceptLanguage={c.req.header('accept-language')}>
          {(t) => (
            <p role="status">
              {fill(t.unsubscribed, { sender: claims.sender, recipient: claims.recipient })}
            </p>
          )}
        </RecipientPage>,
      );
    });
}
