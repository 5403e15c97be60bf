import { Hono } from 'hono';
import { z } from 'zod';
import { getEmailConfiguration, type SmtpListenerAddress } from '../../domain/configuration/get';
import type { AppEnv } from '../app-env';
import { validQuery } from '../raw-query';
import { compartmentId } from '../schemas';

/** What this deployment knows of where its regions are reached, besides the host a request came in on. */
export interface SubmitAddresses {
  baseDomain: string | undefined;
  smtpListeners?: ReadonlyMap<string, SmtpListenerAddress> | undefined;
  smtpEndpoints?: ReadonlyMap<string, string> | undefined;
}

export function configurationRoutes({ baseDomain, smtpListeners, smtpEndpoints }: SubmitAddresses) {
  return new Hono<AppEnv>().get('/', validQuery(z.object({ compartmentId })), async (c) => {
    const region = c.var.region.id;
    const where = {
      baseDomain,
      origin: new URL(c.req.url).origin,
      smtpListener: smtpListeners?.get(region),
      configuredSmtpEndpoint: smtpEndpoints?.get(region),
    };
    const { compartmentId: asked } = c.req.valid('query');
    return c.json(await getEmailConfiguration(c.var.region, c.var.caller, asked, where));
  });
}
