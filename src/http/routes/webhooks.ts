import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { deliveryEventTypes } from '../../domain/events/ports';
import type { Runtime } from '../../domain/ports';
import type {
  WebhookDelivery,
  WebhookDeliveryRecord,
  WebhookSubscription,
} from '../../domain/webhooks/ports';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  sendTestEvent,
  updateWebhook,
} from '../../domain/webhooks/subscriptions';
import type { AppEnv } from '../app-env';
import { listOptions, setNextPage } from '../paging';
import { validQuery } from '../raw-query';
import { compartmentId, hasControlCharacter, ocid, pageToken, queryLimit, sortOrder } from '../schemas';
import { valid } from '../validation';
import { ifMatchOf } from '../wire';

const MAX_DISPLAY_NAME = 255;
const MAX_URL = 2_048;

const displayName = z
  .string()
  .min(1)
  .max(MAX_DISPLAY_NAME)
  .refine((value) => !hasControlCharacter(value), 'must not contain control characters');
const url = z.string().min(1).max(MAX_URL);
const eventTypes = z
  .array(z.enum(deliveryEventTypes))
  .min(1)
  .max(deliveryEventTypes.length * 2);

const createBody = z.strictObject({ compartmentId, displayName: displayName.optional(), url, eventTypes });
const updateBody = z.strictObject({
  displayName: displayName.optional(),
  url: url.optional(),
  eventTypes: eventTypes.optional(),
  isEnabled: z.boolean().optional(),
});

const pageQuery = {
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  sortBy: z.enum(['TIMECREATED']).optional(),
  sortOrder: sortOrder.optional(),
};
const listQuery = z.object({ compartmentId, ...pageQuery });
const deliveriesQuery = z.object(pageQuery);
const webhookPath = valid('param', z.object({ webhookId: ocid('emailwebhook') }));

const time = (date: Date | null) => (date === null ? undefined : date.toISOString());

function subscriptionWire(subscription: WebhookSubscription) {
  return {
    id: subscription.id,
    compartmentId: subscription.compartmentId,
    displayName: subscription.displayName,
    url: subscription.url,
    eventTypes: subscription.eventTypes,
    lifecycleState: subscription.lifecycleState,
    ...(subscription.lifecycleDetails ? { lifecycleDetails: subscription.lifecycleDetails } : {}),
    ...(subscription.failingSince ? { timeFailingSince: time(subscription.failingSince) } : {}),
    timeCreated: time(subscription.timeCreated),
    timeUpdated: time(subscription.timeUpdated),
  };
}

function deliveryWire(record: WebhookDeliveryRecord) {
  return {
    id: record.id,
    messageId: record.messageId,
    state: record.state,
    attempts: record.attempts,
    ...(record.nextAttemptAt ? { timeNextAttempt: time(record.nextAttemptAt) } : {}),
    ...(record.lastStatus !== null ? { lastResponseCode: record.lastStatus } : {}),
    ...(record.lastError !== null ? { lastError: record.lastError } : {}),
    timeCreated: time(record.timeCreated),
    timeUpdated: time(record.timeUpdated),
  };
}

/** Posting needs the key that seals signing secrets; a deployment without one says so plainly. */
function required(delivery: WebhookDelivery | undefined): WebhookDelivery {
  if (!delivery) {
    throw new DomainError(
      'InvalidParameter',
      'Webhooks are not available: the service has no SECRETS_KEY set',
    );
  }
  return delivery;
}

/** /webhookSubscriptions: where a compartment's delivery events are posted (our extension). */
export function webhookRoutes(rt: Runtime, delivery: WebhookDelivery | undefined) {
  return new Hono<AppEnv>()
    .post('/', valid('json', createBody), async (c) => {
      const created = await createWebhook(
        rt,
        c.var.region,
        c.var.caller,
        c.req.valid('json'),
        required(delivery),
      );
      c.header('etag', created.subscription.etag);
      return c.json({ ...subscriptionWire(created.subscription), secret: created.secret });
    })
    .get('/', validQuery(listQuery), async (c) => {
      const query = c.req.valid('query');
      const page = await listWebhooks(
        c.var.region,
        c.var.caller,
        query.compartmentId,
        await listOptions(query),
      );
      await setNextPage(c, query, page);
      return c.json(page.items.map(subscriptionWire));
    })
    .get('/:webhookId', webhookPath, async (c) => {
      const subscription = await getWebhook(c.var.region, c.var.caller, c.req.valid('param').webhookId);
      c.header('etag', subscription.etag);
      return c.json(subscriptionWire(subscription));
    })
    .put('/:webhookId', webhookPath, valid('json', updateBody), async (c) => {
      const subscription = await updateWebhook(
        rt,
        c.var.region,
        c.var.caller,
        c.req.valid('param').webhookId,
        c.req.valid('json'),
        ifMatchOf(c.req.header('if-match')),
      );
      c.header('etag', subscription.etag);
      return c.json(subscriptionWire(subscription));
    })
    .delete('/:webhookId', webhookPath, async (c) => {
      const id = c.req.valid('param').webhookId;
      await deleteWebhook(rt, c.var.region, c.var.caller, id, ifMatchOf(c.req.header('if-match')));
      return c.body(null, 204);
    })
    .get('/:webhookId/deliveries', webhookPath, validQuery(deliveriesQuery), async (c) => {
      const id = c.req.valid('param').webhookId;
      // A page token of one subscription's list is refused by another's.
      const query = { ...c.req.valid('query'), webhookId: id };
      const page = await listWebhookDeliveries(c.var.region, c.var.caller, id, await listOptions(query));
      await setNextPage(c, query, page);
      return c.json(page.items.map(deliveryWire));
    })
    .post('/:webhookId/actions/sendTestEvent', webhookPath, async (c) => {
      const id = c.req.valid('param').webhookId;
      return c.json(await sendTestEvent(rt, c.var.region, c.var.caller, id, required(delivery)));
    });
}
