import { addSenderLock, removeSenderLock } from '../../domain/senders/locks';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { changeSenderCompartment } from '../../domain/senders/change-compartment';
import { createSender } from '../../domain/senders/create';
import { deleteSender } from '../../domain/senders/delete';
import { getSender } from '../../domain/senders/get';
import { getSenderSpf } from '../../domain/senders/get-spf';
import { listSenders } from '../../domain/senders/list';
import { updateSender } from '../../domain/senders/update';
import type { Resolver, Runtime, Sender } from '../../domain/ports';
import type { AppEnv } from '../app-env';
import { listOptions, setNextPage } from '../paging';
import { validQuery } from '../raw-query';
import {
  compartmentId,
  definedTags,
  emailAddress,
  freeformTags,
  addLockBody,
  lockOverrideQuery,
  removeLockBody,
  ocid,
  pageToken,
  queryLimit,
  senderState,
  sortBy,
  sortOrder,
} from '../schemas';
import { valid } from '../validation';
import { senderSpfWire } from '../spf-wire';
import { ifMatchOf, senderSummaryWire, senderWire } from '../wire';

const emailIpPoolId = ocid('emailippool');

const createBody = z.strictObject({
  compartmentId,
  emailAddress,
  emailIpPoolId: emailIpPoolId.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const updateBody = z.strictObject({
  emailIpPoolId: emailIpPoolId.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const changeCompartmentBody = z.strictObject({ compartmentId });

const listQuery = z.object({
  compartmentId,
  lifecycleState: senderState.optional(),
  domain: z.string().min(1).max(253).optional(),
  emailAddress: z.string().min(1).max(254).optional(),
  emailIpPoolId: emailIpPoolId.optional(),
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  sortBy: sortBy.optional(),
  sortOrder: sortOrder.optional(),
});

/** A path id must at least be a sender OCID. */
const senderPath = valid('param', z.object({ senderId: ocid('emailsender') }));

function answerSender(c: Context<AppEnv>, sender: Sender): Response {
  c.header('etag', sender.etag);
  return c.json(senderWire(sender));
}

export function senderRoutes(rt: Runtime, resolver: Resolver) {
  return new Hono<AppEnv>()
    .post('/', valid('json', createBody), async (c) => {
      return answerSender(
        c,
        await createSender(rt, c.var.region, c.var.caller, c.req.valid('json'), resolver),
      );
    })
    .get('/', validQuery(listQuery), async (c) => {
      const query = c.req.valid('query');
      const { page: _p, limit: _l, sortBy: _s, sortOrder: _o, ...filter } = query;
      const { page, total } = await listSenders(c.var.region, c.var.caller, filter, await listOptions(query));
      await setNextPage(c, query, page);
      c.header('opc-total-items', String(total));
      return c.json(page.items.map(senderSummaryWire));
    })
    .get('/:senderId', senderPath, async (c) => {
      return answerSender(c, await getSender(c.var.region, c.var.caller, c.req.valid('param').senderId));
    })
    .get('/:senderId/spf', senderPath, async (c) => {
      const guidance = await getSenderSpf(
        c.var.region,
        c.var.caller,
        c.req.valid('param').senderId,
        resolver,
      );
      return c.json(senderSpfWire(guidance));
    })
    .put('/:senderId', senderPath, validQuery(lockOverrideQuery), valid('json', updateBody), async (c) => {
      const sender = await updateSender(
        rt,
        c.var.region,
        c.var.caller,
        c.req.valid('param').senderId,
        c.req.valid('json'),
        ifMatchOf(c.req.header('if-match')),
        c.req.valid('query').isLockOverride,
      );
      return answerSender(c, sender);
    })
    .delete('/:senderId', senderPath, validQuery(lockOverrideQuery), async (c) => {
      const { senderId } = c.req.valid('param');
      const ifMatch = ifMatchOf(c.req.header('if-match'));
      const override = c.req.valid('query').isLockOverride;
      await deleteSender(rt, c.var.region, c.var.caller, senderId, ifMatch, override);
      return c.body(null, 204);
    })
    .post('/:senderId/actions/addLock', senderPath, valid('json', addLockBody), async (c) => {
      const [id, ifMatch] = [c.req.valid('param').senderId, ifMatchOf(c.req.header('if-match'))];
      return answerSender(
        c,
        await addSenderLock(rt, c.var.region, c.var.caller, id, c.req.valid('json'), ifMatch),
      );
    })
    .post('/:senderId/actions/removeLock', senderPath, valid('json', removeLockBody), async (c) => {
      const [id, ifMatch] = [c.req.valid('param').senderId, ifMatchOf(c.req.header('if-match'))];
      return answerSender(
        c,
        await removeSenderLock(rt, c.var.region, c.var.caller, id, c.req.valid('json'), ifMatch),
      );
    })
    .post(
      '/:senderId/actions/changeCompartment',
      senderPath,
      validQuery(lockOverrideQuery),
      valid('json', changeCompartmentBody),
      async (c) => {
        await changeSenderCompartment(
          rt,
          c.var.region,
          c.var.caller,
          c.req.valid('param').senderId,
          c.req.valid('json').compartmentId,
          ifMatchOf(c.req.header('if-match')),
          c.req.valid('query').isLockOverride,
        );
        return c.body(null, 204);
      },
    );
}
