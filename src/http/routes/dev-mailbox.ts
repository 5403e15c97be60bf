import { Hono } from 'hono';
import { z } from 'zod';
import {
  getCapturedMail,
  listCapturedMail,
  MAILBOX_DEFAULT_LIMIT,
  MAILBOX_MAX_LIMIT,
} from '../../domain/delivery/captured-mail';
import type { CaptureMailboxReader } from '../../domain/ports';
import type { AppEnv } from '../app-env';
import { validQuery } from '../raw-query';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAILBOX_MAX_LIMIT).default(MAILBOX_DEFAULT_LIMIT),
});

/** GET / lists what the capture mailbox received, newest first; GET /:id answers one message as received. */
export function devMailboxRoutes(mailbox: CaptureMailboxReader) {
  return new Hono<AppEnv>()
    .get('/', validQuery(listQuery), async (c) => {
      const items = await listCapturedMail(c.var.caller, mailbox, c.req.valid('query').limit);
      return c.json({
        items: items.map((mail) => ({ ...mail, receivedAt: mail.receivedAt.toISOString() })),
      });
    })
    .get('/:id', async (c) => {
      const raw = await getCapturedMail(c.var.caller, mailbox, c.req.param('id'));
      return c.body(raw, 200, { 'content-type': 'message/rfc822' });
    });
}
