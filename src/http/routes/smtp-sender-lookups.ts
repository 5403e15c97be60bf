import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '../../domain/errors';
import type { IdentityStore } from '../../domain/identity/ports';
import { findSmtpSender, smtpSenderCompartments } from '../../domain/submission/sender-standing';
import type { AppEnv } from '../app-env';
import { validQuery } from '../raw-query';

// As MAIL FROM gives it: the lookup answers whether it is an approved sender, not whether it is well formed.
const lookupQuery = z.object({ emailAddress: z.string().min(1).max(254) });

/**
 * `GET /smtpSenderLookups?emailAddress=` (our extension): the compartment where the address is an approved
 * sender the caller may use, searched as the in-process ingress searches; a standalone ingress asks it once
 * per MAIL FROM.
 */
export function smtpSenderLookupRoutes(identity: IdentityStore) {
  return new Hono<AppEnv>().get('/', validQuery(lookupQuery), async (c) => {
    const { emailAddress } = c.req.valid('query');
    const { region, caller } = c.var;
    const searched = await smtpSenderCompartments(identity, caller.tenancyId);
    const compartmentId = await findSmtpSender(region, caller, searched, emailAddress);
    if (compartmentId === undefined) throw notFound('Approved sender');
    return c.json({ compartmentId });
  });
}
