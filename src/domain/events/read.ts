import { DomainError } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle } from '../ports';
import type { ListOptions, Page } from '../../values/page';
import {
  METRICS_INTERVAL_MS,
  type DeliveryEvent,
  type DeliveryEventFilter,
  type MetricsBucket,
  type MetricsInterval,
} from './ports';

/** Events and metrics are read under `read email-family` in the compartment they were sent from. */
const requireEventGrant = (caller: Caller, compartmentId: string) =>
  requireGrant(caller, 'read', 'email-family', compartmentId, `Compartment ${compartmentId}`);

export async function listDeliveryEvents(
  region: RegionHandle,
  caller: Caller,
  filter: DeliveryEventFilter,
  options: ListOptions<'TIMECREATED'>,
): Promise<Page<DeliveryEvent>> {
  await requireEventGrant(caller, filter.compartmentId);
  return region.store.forTenancy(caller.tenancyId).events.list(filter, options);
}

export interface MetricsQuery {
  compartmentId: string;
  interval: MetricsInterval;
  timeStart: Date;
  timeEnd: Date;
}

/** A day by the minute, or two months by the hour: enough for a dashboard, small enough to answer fast. */
export const MAX_METRICS_BUCKETS = 1_440;

export async function deliveryMetrics(
  region: RegionHandle,
  caller: Caller,
  query: MetricsQuery,
): Promise<MetricsBucket[]> {
  const span = query.timeEnd.getTime() - query.timeStart.getTime();
  if (span <= 0) throw new DomainError('InvalidParameter', 'timeEnd must be after timeStart');
  if (span / METRICS_INTERVAL_MS[query.interval] > MAX_METRICS_BUCKETS) {
    throw new DomainError(
      'InvalidParameter',
      `At most ${MAX_METRICS_BUCKETS} buckets of ${query.interval} per request: shorten the time range`,
    );
  }
  await requireEventGrant(caller, query.compartmentId);
  return region.store.forTenancy(caller.tenancyId).events.metrics(
    {
      compartmentId: query.compartmentId,
      timeGreaterThanOrEqualTo: query.timeStart,
      timeLessThan: query.timeEnd,
    },
    query.interval,
  );
}
