import { Hono } from 'hono';
import { z } from 'zod';
import type { IdentityStore } from '../../../domain/identity/ports';
import { createOrResetUiPassword } from '../../../domain/identity/ui-password';
import {
  createUser,
  deleteNamed,
  getNamed,
  listNamed,
  USERS,
} from '../../../domain/identity/users-and-groups';
import type { Runtime } from '../../../domain/ports';
import { newEtag } from '../../../values/etag';
import type { AppEnv } from '../../app-env';
import { description, identityListQuery, userId, userName } from '../../identity-schemas';
import { userWire } from '../../identity-wire';
import { listOptions, setNextPage } from '../../paging';
import { validQuery } from '../../raw-query';
import { definedTags, emailAddress, freeformTags, ocid } from '../../schemas';
import { valid } from '../../validation';
import { ifMatchOf } from '../../wire';

const MAX_EXTERNAL_ID = 255; // federation ids are opaque strings of a few dozen characters

const createBody = z.strictObject({
  compartmentId: ocid('tenancy'),
  name: userName,
  description,
  email: emailAddress.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const listQuery = identityListQuery.extend({
  identityProviderId: z.string().min(1).max(MAX_EXTERNAL_ID).optional(),
  externalIdentifier: z.string().min(1).max(MAX_EXTERNAL_ID).optional(),
});

const userPath = valid('param', z.object({ userId }));

export function userRoutes(rt: Runtime, identity: IdentityStore) {
  return new Hono<AppEnv>()
    .post('/', valid('json', createBody), async (c) => {
      const user = await createUser(rt, identity, c.var.caller, c.req.valid('json'));
      c.header('etag', user.etag);
      return c.json(userWire(c.var.caller, user));
    })
    .get('/', validQuery(listQuery), async (c) => {
      const query = c.req.valid('query');
      const page = await listNamed(
        USERS,
        identity,
        c.var.caller,
        query.compartmentId,
        query.name === undefined ? {} : { name: query.name },
        await listOptions(query),
      );
      // Users here are local and ACTIVE: a federation filter or another state matches none.
      const matchesNone =
        query.identityProviderId !== undefined ||
        query.externalIdentifier !== undefined ||
        (query.lifecycleState !== undefined && query.lifecycleState !== 'ACTIVE');
      if (matchesNone) return c.json([]);
      await setNextPage(c, query, page);
      return c.json(page.items.map((user) => userWire(c.var.caller, user)));
    })
    .get('/:userId', userPath, async (c) => {
      const user = await getNamed(USERS, identity, c.var.caller, c.req.valid('param').userId);
      c.header('etag', user.etag);
      return c.json(userWire(c.var.caller, user));
    })
    .post('/:userId/uiPassword', userPath, async (c) => {
      const reset = await createOrResetUiPassword(rt, identity, c.var.caller, c.req.valid('param').userId);
      // Each reset is a new version; nothing is conditional on it, so the tag is only fresh.
      c.header('etag', newEtag(rt.ids));
      // The only time the password leaves the service.
      return c.json({
        password: reset.password,
        userId: reset.userId,
        timeCreated: reset.timeCreated.toISOString(),
        lifecycleState: reset.lifecycleState,
      });
    })
    .delete('/:userId', userPath, async (c) => {
      const { userId: id } = c.req.valid('param');
      await deleteNamed(USERS, rt, identity, c.var.caller, id, ifMatchOf(c.req.header('if-match')));
      return c.body(null, 204);
    });
}
