import { Hono } from 'hono';
import { z } from 'zod';
import { deleteApiKey, listApiKeys, uploadApiKey } from '../../../domain/identity/api-keys';
import type { IdentityStore } from '../../../domain/identity/ports';
import { createSmtpCredential } from '../../../domain/identity/smtp-credentials/create';
import {
  deleteSmtpCredential,
  listSmtpCredentials,
  updateSmtpCredential,
} from '../../../domain/identity/smtp-credentials/list-update-delete';
import type { Runtime } from '../../../domain/ports';
import type { AppEnv } from '../../app-env';
import { description, fingerprint, publicKeyPem, smtpCredentialId, userId } from '../../identity-schemas';
import { apiKeyWire, smtpCredentialSummaryWire } from '../../identity-wire';
import { valid } from '../../validation';
import { ifMatchOf } from '../../wire';

const userPath = valid('param', z.object({ userId }));
const keyPath = valid('param', z.object({ userId, fingerprint }));
const credentialPath = valid('param', z.object({ userId, smtpCredentialId }));

/** A user's API keys and SMTP credentials: `/users/{userId}/apiKeys` and `/users/{userId}/smtpCredentials`. */
export function credentialRoutes(rt: Runtime, identity: IdentityStore) {
  return new Hono<AppEnv>()
    .post('/:userId/apiKeys', userPath, valid('json', z.strictObject({ key: publicKeyPem })), async (c) => {
      const { userId: id } = c.req.valid('param');
      const key = await uploadApiKey(rt, identity, c.var.caller, id, c.req.valid('json').key);
      c.header('etag', key.fingerprint);
      return c.json(apiKeyWire(c.var.caller, key));
    })
    .get('/:userId/apiKeys', userPath, async (c) => {
      const keys = await listApiKeys(identity, c.var.caller, c.req.valid('param').userId);
      return c.json(keys.map((key) => apiKeyWire(c.var.caller, key)));
    })
    .delete('/:userId/apiKeys/:fingerprint', keyPath, async (c) => {
      const { userId: id, fingerprint: fp } = c.req.valid('param');
      await deleteApiKey(rt, identity, c.var.caller, id, fp);
      return c.body(null, 204);
    })
    .post('/:userId/smtpCredentials', userPath, valid('json', z.strictObject({ description })), async (c) => {
      const { userId: id } = c.req.valid('param');
      const created = await createSmtpCredential(
        rt,
        identity,
        c.var.caller,
        id,
        c.req.valid('json').description,
      );
      c.header('etag', created.credential.etag);
      // The only time the password leaves the service.
      return c.json({ ...smtpCredentialSummaryWire(created.credential), password: created.password });
    })
    .get('/:userId/smtpCredentials', userPath, async (c) => {
      const credentials = await listSmtpCredentials(identity, c.var.caller, c.req.valid('param').userId);
      return c.json(credentials.map(smtpCredentialSummaryWire));
    })
    .put(
      '/:userId/smtpCredentials/:smtpCredentialId',
      credentialPath,
      valid('json', z.strictObject({ description: description.optional() })),
      async (c) => {
        const { userId: id, smtpCredentialId: credentialId } = c.req.valid('param');
        const credential = await updateSmtpCredential(
          rt,
          identity,
          c.var.caller,
          id,
          credentialId,
          c.req.valid('json'),
          ifMatchOf(c.req.header('if-match')),
        );
        c.header('etag', credential.etag);
        return c.json(smtpCredentialSummaryWire(credential));
      },
    )
    .delete('/:userId/smtpCredentials/:smtpCredentialId', credentialPath, async (c) => {
      const { userId: id, smtpCredentialId: credentialId } = c.req.valid('param');
      await deleteSmtpCredential(
        rt,
        identity,
        c.var.caller,
        id,
        credentialId,
        ifMatchOf(c.req.header('if-match')),
      );
      return c.body(null, 204);
    });
}
