import { Hono } from 'hono';
import { z } from 'zod';
import { addUserToGroup } from '../../../domain/identity/memberships/add';
import { listMemberships } from '../../../domain/identity/memberships/list';
import { removeUserFromGroup } from '../../../domain/identity/memberships/remove';
import type { IdentityStore } from '../../../domain/identity/ports';
import type { Runtime } from '../../../domain/ports';
import type { AppEnv } from '../../app-env';
import { groupId, membershipId, tenancyOrCompartment, userId } from '../../identity-schemas';
import { membershipWire } from '../../identity-wire';
import { listOptions, setNextPage } from '../../paging';
import { validQuery } from '../../raw-query';
import { pageToken, queryLimit } from '../../schemas';
import { valid } from '../../validation';

const addBody = z.strictObject({ userId, groupId });

const listQuery = z.object({
  compartmentId: tenancyOrCompartment,
  userId: userId.optional(),
  groupId: groupId.optional(),
  page: pageToken.optional(),
  limit: queryLimit.optional(),
});

const membershipPath = valid('param', z.object({ membershipId }));

export function membershipRoutes(rt: Runtime, identity: IdentityStore) {
  return new Hono<AppEnv>()
    .post('/', valid('json', addBody), async (c) => {
      const membership = await addUserToGroup(rt, identity, c.var.caller, c.req.valid('json'));
      c.header('etag', membership.id);
      return c.json(membershipWire(c.var.caller, membership));
    })
    .get('/', validQuery(listQuery), async (c) => {
      const query = c.req.valid('query');
      const { compartmentId, userId: user, groupId: group } = query;
      const filter = { ...(user ? { userId: user } : {}), ...(group ? { groupId: group } : {}) };
      // Oldest first, so a page boundary never moves as memberships are added.
      const options = { ...(await listOptions<'TIMECREATED'>(query)), sortOrder: 'ASC' as const };
      const page = await listMemberships(identity, c.var.caller, compartmentId, filter, options);
      await setNextPage(c, query, page);
      return c.json(page.items.map((membership) => membershipWire(c.var.caller, membership)));
    })
    .delete('/:membershipId', membershipPath, async (c) => {
      await removeUserFromGroup(rt, identity, c.var.caller, c.req.valid('param').membershipId);
      return c.body(null, 204);
    });
}
