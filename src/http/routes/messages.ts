import { Hono } from 'hono';
import { z } from 'zod';
import { getMessageState } from '../../domain/submission/get-message-state';
import { MAX_MESSAGE_ID_LENGTH } from '../../domain/submission/message-id';
import type { AppEnv } from '../app-env';
import { messageStateWire } from '../submission-wire';
import { valid } from '../validation';

const messagePath = valid('param', z.object({ messageId: z.string().min(1).max(MAX_MESSAGE_ID_LENGTH) }));

/** GET /messages/{messageId}: each recipient's delivery state (our extension to the data plane). */
export function messageRoutes() {
  return new Hono<AppEnv>().get('/:messageId', messagePath, async (c) => {
    const state = await getMessageState(c.var.region, c.var.caller, c.req.valid('param').messageId);
    return c.json(messageStateWire(state));
  });
}
