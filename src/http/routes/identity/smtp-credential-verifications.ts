import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../../crypto/password-hash';
import type { IdentityStore } from '../../../domain/identity/ports';
import { MAX_USERNAME_LENGTH } from '../../../domain/identity/smtp-credentials/authenticate';
import { verifySmtpCredential } from '../../../domain/identity/smtp-credentials/verify';
import type { AppEnv } from '../../app-env';
import { valid } from '../../validation';

const verificationBody = z.strictObject({
  username: z.string().min(1).max(MAX_USERNAME_LENGTH),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/** `POST /smtpCredentialVerifications` (our extension): a standalone ingress learns whose credential it holds. */
export function smtpCredentialVerificationRoutes(identity: IdentityStore) {
  return new Hono<AppEnv>().post('/', valid('json', verificationBody), async (c) => {
    const { username, password } = c.req.valid('json');
    return c.json(await verifySmtpCredential(identity, c.var.caller, username, password));
  });
}
