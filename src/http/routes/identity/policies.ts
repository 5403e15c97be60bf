import { Hono } from 'hono';
import { z } from 'zod';
import { createPolicy } from '../../../domain/identity/policies/create';
import { deletePolicy } from '../../../domain/identity/policies/delete';
import { getPolicy } from '../../../domain/identity/policies/get';
import { listPolicies } from '../../../domain/identity/policies/list';
import { updatePolicy } from '../../../domain/identity/policies/update';
import type { IdentityStore } from '../../../domain/identity/ports';
import type { Runtime } from '../../../domain/ports';
import type { AppEnv } from '../../app-env';
import {
  bodyDate,
  description,
  identityListQuery,
  policyId,
  policyName,
  statements,
  tenancyOrCompartment,
} from '../../identity-schemas';
import { policyWire } from '../../identity-wire';
import { listOptions, setNextPage } from '../../paging';
import { validQuery } from '../../raw-query';
import { definedTags, freeformTags } from '../../schemas';
import { valid } from '../../validation';
import { ifMatchOf } from '../../wire';

const createBody = z.strictObject({
  compartmentId: tenancyOrCompartment,
  name: policyName,
  statements,
  description,
  versionDate: bodyDate.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const updateBody = z.strictObject({
  description: description.optional(),
  statements: statements.optional(),
  versionDate: bodyDate.nullable().optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const policyPath = valid('param', z.object({ policyId }));

export function policyRoutes(rt: Runtime, identity: IdentityStore) {
  return new Hono<AppEnv>()
    .post('/', valid('json', createBody), async (c) => {
      const policy = await createPolicy(rt, identity, c.var.caller, c.req.valid('json'));
      c.header('etag', policy.etag);
      return c.json(policyWire(policy));
    })
    .get('/', validQuery(identityListQuery), async (c) => {
      const query = c.req.valid('query');
      const { compartmentId, name } = query;
      const filter = name === undefined ? { compartmentId } : { compartmentId, name };
      const page = await listPolicies(identity, c.var.caller, filter, await listOptions(query));
      // Policies here are all ACTIVE.
      if (query.lifecycleState !== undefined && query.lifecycleState !== 'ACTIVE') return c.json([]);
      await setNextPage(c, query, page);
      return c.json(page.items.map(policyWire));
    })
    .get('/:policyId', policyPath, async (c) => {
      const policy = await getPolicy(identity, c.var.caller, c.req.valid('param').policyId);
      c.header('etag', policy.etag);
      return c.json(policyWire(policy));
    })
    .put('/:policyId', policyPath, valid('json', updateBody), async (c) => {
      const policy = await updatePolicy(
        rt,
        identity,
        c.var.caller,
        c.req.valid('param').policyId,
        c.req.valid('json'),
        ifMatchOf(c.req.header('if-match')),
      );
      c.header('etag', policy.etag);
      return c.json(policyWire(policy));
    })
    .delete('/:policyId', policyPath, async (c) => {
      const { policyId: id } = c.req.valid('param');
      await deletePolicy(rt, identity, c.var.caller, id, ifMatchOf(c.req.header('if-match')));
      return c.body(null, 204);
    });
}
