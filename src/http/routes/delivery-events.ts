import { Hono } from 'hono';
import { z } from 'zod';
import { deliveryEventTypes } from '../../domain/events/ports';
import { deliveryMetrics, listDeliveryEvents } from '../../domain/events/read';
import { MAX_MESSAGE_ID_LENGTH } from '../../domain/submission/message-id';
import type { AppEnv } from '../app-env';
import { publicEvent } from '../../domain/events/public-event';
import { metricsBucketWire } from '../events-wire';
import { listOptions, setNextPage } from '../paging';
import { validQuery } from '../raw-query';
import { compartmentId, pageToken, queryDate, queryLimit, sortOrder } from '../schemas';

const address = z.string().min(1).max(254);

const listQuery = z.object({
  compartmentId,
  timeGreaterThanOrEqualTo: queryDate.optional(),
  timeLessThan: queryDate.optional(),
  messageId: z.string().min(1).max(MAX_MESSAGE_ID_LENGTH).optional(),
  recipient: address.optional(),
  sender: address.optional(),
  eventType: z.enum(deliveryEventTypes).optional(),
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  sortBy: z.enum(['TIMECREATED']).optional(),
  sortOrder: sortOrder.optional(),
});

const metricsQuery = z.object({
  compartmentId,
  interval: z.enum(['PT1M', 'PT1H']).default('PT1M'),
  timeStart: queryDate,
  timeEnd: queryDate,
});

/** GET /deliveryEvents: the region's event log, newest first (our extension to the data plane). */
export function deliveryEventRoutes() {
  return new Hono<AppEnv>().get('/', validQuery(listQuery), async (c) => {
    const query = c.req.valid('query');
    const { page: _p, limit: _l, sortBy: _s, sortOrder: _o, ...filter } = query;
    const page = await listDeliveryEvents(c.var.region, c.var.caller, filter, await listOptions(query));
    await setNextPage(c, query, page);
    return c.json(page.items.map(publicEvent));
  });
}

/** GET /deliveryMetrics: counts per event type and relay latency, per minute or hour. */
export function deliveryMetricsRoutes() {
  return new Hono<AppEnv>().get('/', validQuery(metricsQuery), async (c) => {
    const buckets = await deliveryMetrics(c.var.region, c.var.caller, c.req.valid('query'));
    return c.json({ items: buckets.map(metricsBucketWire) });
  });
}
