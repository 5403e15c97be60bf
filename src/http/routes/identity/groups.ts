import { Hono } from 'hono';
import { z } from 'zod';
import {
  createGroup,
  deleteNamed,
  getNamed,
  listNamed,
  GROUPS,
} from '../../../domain/identity/users-and-groups';
import type { IdentityStore } from '../../../domain/identity/ports';
import type { Runtime } from '../../../domain/ports';
import type { AppEnv } from '../../app-env';
import { description, groupId, identityListQuery, statementName } from '../../identity-schemas';
import { groupWire } from '../../identity-wire';
import { listOptions, setNextPage } from '../../paging';
import { validQuery } from '../../raw-query';
import { definedTags, freeformTags, ocid } from '../../schemas';
import { valid } from '../../validation';
import { ifMatchOf } from '../../wire';

const createBody = z.strictObject({
  compartmentId: ocid('tenancy'),
  name: statementName,
  description,
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const groupPath = valid('param', z.object({ groupId }));

export function groupRoutes(rt: Runtime, identity: IdentityStore) {
  return new Hono<AppEnv>()
    .post('/', valid('json', createBody), async (c) => {
      const group = await createGroup(rt, identity, c.var.caller, c.req.valid('json'));
      c.header('etag', group.etag);
      return c.json(groupWire(c.var.caller, group));
    })
    .get('/', validQuery(identityListQuery), async (c) => {
      const query = c.req.valid('query');
      const page = await listNamed(
        GROUPS,
        identity,
        c.var.caller,
        query.compartmentId,
        query.name === undefined ? {} : { name: query.name },
        await listOptions(query),
      );
      // Groups here are all ACTIVE.
      if (query.lifecycleState !== undefined && query.lifecycleState !== 'ACTIVE') return c.json([]);
      await setNextPage(c, query, page);
      return c.json(page.items.map((group) => groupWire(c.var.caller, group)));
    })
    .get('/:groupId', groupPath, async (c) => {
      const group = await getNamed(GROUPS, identity, c.var.caller, c.req.valid('param').groupId);
      c.header('etag', group.etag);
      return c.json(groupWire(c.var.caller, group));
    })
    .delete('/:groupId', groupPath, async (c) => {
      const { groupId: id } = c.req.valid('param');
      await deleteNamed(GROUPS, rt, identity, c.var.caller, id, ifMatchOf(c.req.header('if-match')));
      return c.body(null, 204);
    });
}
