import { Hono } from 'hono';
import { z } from 'zod';
import { createCompartment } from '../../../domain/identity/compartments/create';
import { deleteCompartment } from '../../../domain/identity/compartments/delete';
import { getCompartment } from '../../../domain/identity/compartments/get';
import { listCompartments } from '../../../domain/identity/compartments/list';
import type { IdentityStore } from '../../../domain/identity/ports';
import type { Runtime } from '../../../domain/ports';
import type { AppEnv } from '../../app-env';
import { description, identityListQuery, statementName, tenancyOrCompartment } from '../../identity-schemas';
import { compartmentWire } from '../../identity-wire';
import { listOptions, setNextPage } from '../../paging';
import { validQuery } from '../../raw-query';
import { definedTags, freeformTags, queryBoolean } from '../../schemas';
import { valid } from '../../validation';
import { ifMatchOf } from '../../wire';

const createBody = z.strictObject({
  compartmentId: tenancyOrCompartment,
  name: statementName,
  description,
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const listQuery = identityListQuery.extend({
  accessLevel: z.enum(['ANY', 'ACCESSIBLE']).optional(),
  compartmentIdInSubtree: queryBoolean.optional(),
});

const compartmentPath = valid('param', z.object({ compartmentId: tenancyOrCompartment }));

export function compartmentRoutes(rt: Runtime, identity: IdentityStore) {
  return new Hono<AppEnv>()
    .post('/', valid('json', createBody), async (c) => {
      const compartment = await createCompartment(rt, identity, c.var.caller, c.req.valid('json'));
      c.header('etag', compartment.etag);
      return c.json(compartmentWire(compartment));
    })
    .get('/', validQuery(listQuery), async (c) => {
      const query = c.req.valid('query');
      const { compartmentId, compartmentIdInSubtree, name, lifecycleState } = query;
      const page = await listCompartments(
        identity,
        c.var.caller,
        { compartmentId, compartmentIdInSubtree, name, lifecycleState },
        await listOptions(query),
      );
      await setNextPage(c, query, page);
      return c.json(page.items.map(compartmentWire));
    })
    .get('/:compartmentId', compartmentPath, async (c) => {
      const compartment = await getCompartment(identity, c.var.caller, c.req.valid('param').compartmentId);
      c.header('etag', compartment.etag);
      return c.json(compartmentWire(compartment));
    })
    .delete('/:compartmentId', compartmentPath, async (c) => {
      const { compartmentId } = c.req.valid('param');
      await deleteCompartment(rt, identity, c.var.caller, compartmentId, ifMatchOf(c.req.header('if-match')));
      return c.body(null, 204);
    });
}
