import { Hono } from 'hono';
import { z } from 'zod';
import { getEmailConfiguration, type SmtpListenerAddress } from '../../domain/configuration/get';
import type { AppEnv } from '../app-env';
import { validQuery } from '../raw-query';
import { compartmentId } from '../schemas';

export function configurationRoutes(
  baseDomain: string | undefined,
  smtpListeners: ReadonlyMap<string, SmtpListenerAddress> = new Map(),
) {
  return new Hono<AppEnv>().get('/', validQuery(z.object({ compartmentId })), async (c) => {
    const origin = new URL(c.req.url).origin;
    const where = { baseDomain, origin, smtpListener: smtpListeners.get(c.var.region.id) };
    const { compartmentId: asked } = c.req.valid('query');
    return c.json(await getEmailConfiguration(c.var.region, c.var.caller, asked, where));
  });
}
