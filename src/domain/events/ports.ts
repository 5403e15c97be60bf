import { HOUR_MS, MINUTE_MS } from '../../values/durations';
import type { ListOptions, Page } from '../../values/page';

/** One thing that happened to one recipient's copy. */
export const deliveryEventTypes = [
  'ACCEPTED',
  'RELAYED',
  'DEFERRED',
  'BOUNCED',
  'EXPIRED',
  'SUPPRESSED',
  'COMPLAINED',
  'UNSUBSCRIBED',
] as const;
export type DeliveryEventType = (typeof deliveryEventTypes)[number];

/** An event as it is written; the store gives it its place in the region's order. */
export interface NewDeliveryEvent {
  id: string;
  /** Undefined when only the message is known: the store takes the compartment it was sent from. */
  compartmentId: string | undefined;
  eventType: DeliveryEventType;
  messageId: string;
  deliveryId: string | null;
  sender: string;
  recipient: string;
  smtpCode: number | null;
  enhancedCode: string | null;
  /** The reply as one line, or what went wrong. */
  detail: string | null;
  /** OCI's acceptance-log error type (such as "Recipient suppressed"), when there is one. */
  errorType: string | null;
  relayHost: string | null;
  attempt: number | null;
  latencyMs: number | null;
  timeCreated: Date;
}

export interface DeliveryEvent extends NewDeliveryEvent {
  compartmentId: string;
  /** The event's place in the region's order: later writes have larger numbers. */
  seq: number;
}

export interface DeliveryEventFilter {
  compartmentId: string;
  timeGreaterThanOrEqualTo?: Date;
  timeLessThan?: Date;
  messageId?: string;
  recipient?: string;
  sender?: string;
  eventType?: DeliveryEventType;
}

export type MetricsInterval = 'PT1M' | 'PT1H';

/** Each interval's bucket width. */
export const METRICS_INTERVAL_MS: Readonly<Record<MetricsInterval, number>> = {
  PT1M: MINUTE_MS,
  PT1H: HOUR_MS,
};

/** Counts per event type in one time bucket, and the acceptance → relayed latency of its RELAYED events. */
export interface MetricsBucket {
  timeStart: Date;
  counts: Partial<Record<DeliveryEventType, number>>;
  relayLatency: { count: number; totalMs: number; maxMs: number };
}

/** One tenancy's events in one region. */
export interface DeliveryEventRepository {
  /** Writes events outside a submission or delivery (feedback, unsubscribes) in one transaction. */
  record(events: readonly NewDeliveryEvent[]): Promise<void>;
  /** Newest first, keyset-paged by time and seq. */
  list(filter: DeliveryEventFilter, options: ListOptions<'TIMECREATED'>): Promise<Page<DeliveryEvent>>;
  metrics(
    filter: Pick<DeliveryEventFilter, 'compartmentId' | 'timeGreaterThanOrEqualTo' | 'timeLessThan'>,
    interval: MetricsInterval,
  ): Promise<MetricsBucket[]>;
}

/** Hears events once they are committed (Node's Prometheus counters). */
export interface DeliveryEventObserver {
  committed(region: string, tenancyId: string, events: readonly NewDeliveryEvent[]): void;
}
