import { Hono } from 'hono';
import { z } from 'zod';
import { addSuppression } from '../../domain/suppressions/add';
import { deleteSuppression } from '../../domain/suppressions/delete';
import { getSuppression } from '../../domain/suppressions/get';
import { listSuppressions } from '../../domain/suppressions/list';
import type { Runtime } from '../../domain/ports';
import type { AppEnv } from '../app-env';
import { listOptions, setNextPage } from '../paging';
import { validQuery } from '../raw-query';
import { emailAddress, ocid, pageToken, queryDate, queryLimit, sortBy, sortOrder } from '../schemas';
import { valid } from '../validation';
import { suppressionSummaryWire, suppressionWire } from '../wire';

const tenancyId = ocid('tenancy');

const createBody = z.strictObject({ compartmentId: tenancyId, emailAddress });

const listQuery = z.object({
  compartmentId: tenancyId,
  emailAddress: z.string().min(1).max(254).optional(),
  timeCreatedGreaterThanOrEqualTo: queryDate.optional(),
  timeCreatedLessThan: queryDate.optional(),
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  sortBy: sortBy.optional(),
  sortOrder: sortOrder.optional(),
});

const suppressionPath = valid('param', z.object({ suppressionId: ocid('emailsuppression') }));

export function suppressionRoutes(rt: Runtime) {
  return new Hono<AppEnv>()
    .post('/', valid('json', createBody), async (c) => {
      const suppression = await addSuppression(rt, c.var.region, c.var.caller, c.req.valid('json'));
      return c.json(suppressionWire(c.var.caller, suppression));
    })
    .get('/', validQuery(listQuery), async (c) => {
      const query = c.req.valid('query');
      const { compartmentId, page: _p, limit: _l, sortBy: _s, sortOrder: _o, ...filter } = query;
      const page = await listSuppressions(
        c.var.region,
        c.var.caller,
        compartmentId,
        filter,
        await listOptions(query),
      );
      await setNextPage(c, query, page);
      return c.json(page.items.map((item) => suppressionSummaryWire(c.var.caller, item)));
    })
    .get('/:suppressionId', suppressionPath, async (c) => {
      const suppression = await getSuppression(
        c.var.region,
        c.var.caller,
        c.req.valid('param').suppressionId,
      );
      return c.json(suppressionWire(c.var.caller, suppression));
    })
    .delete('/:suppressionId', suppressionPath, async (c) => {
      await deleteSuppression(rt, c.var.region, c.var.caller, c.req.valid('param').suppressionId);
      return c.body(null, 204);
    });
}
