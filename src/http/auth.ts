import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Caller } from '../domain/ports';
import type { AppEnv } from './app-env';

/**
 * Decides who sent a request, or throws NotAuthenticated. The one seam every API call passes.
 * `body` reads the request body once; the handler reads the same bytes afterwards.
 */
export type Authenticator = (request: Request, body: () => Promise<ArrayBuffer>) => Promise<Caller>;

const JSON_TYPE = /^application\/([a-z-.]+\+)?json/i;
const utf8 = new TextDecoder();

/**
 * The body's bytes, read once. A JSON body's text is kept beside them in Hono's body cache (which holds
 * each read as a promise under the reader's name): the validator's `json()` then decodes these bytes as
 * `Response.text()` would, instead of Hono building a whole Response around them to call it.
 */
function readBodyOnce(c: Context<AppEnv>): Promise<ArrayBuffer> {
  const bytes = c.req.arrayBuffer();
  if (JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    const text = bytes.then((buffer) => utf8.decode(buffer));
    text.catch(() => undefined); // a failed read is answered through `bytes`; nobody may await the text
    (c.req.bodyCache as { text?: Promise<string> }).text = text;
  }
  return bytes;
}

export const authenticate = (authenticator: Authenticator) =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set('caller', await authenticator(c.req.raw, () => readBodyOnce(c)));
    await next();
  });
