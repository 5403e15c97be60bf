import { Hono } from 'hono';
import { z } from 'zod';
import { getEmailConfiguration } from '../../domain/configuration/get';
import type { AppEnv } from '../app-env';
import { validQuery } from '../raw-query';
import { compartmentId } from '../schemas';

export function configurationRoutes(baseDomain: string | undefined) {
  return new Hono<AppEnv>().get('/', validQuery(z.object({ compartmentId })), (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json(getEmailConfiguration(c.var.region, c.var.caller, { baseDomain, origin }));
  });
}
