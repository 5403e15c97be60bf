import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { DeliveryEventObserver } from '../domain/events/ports';

/** Relay latency buckets in seconds: a local relay answers in milliseconds, a retried copy in hours. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

export interface PrometheusMetrics {
  observer: DeliveryEventObserver;
  contentType: string;
  render: () => Promise<string>;
}

/** The Node process's Prometheus registry: delivery events by region and type, relay latency, process figures. */
export function prometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const events = new Counter({
    name: 'email_delivery_events_total',
    help: 'Delivery events written to the event log, by region and event type.',
    labelNames: ['region', 'event_type'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'email_relay_latency_seconds',
    help: 'Time from acceptance to the relay accepting the copy, per RELAYED event.',
    labelNames: ['region'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    observer: {
      committed(region, _tenancyId, written) {
        for (const event of written) {
          events.inc({ region, event_type: event.eventType });
          if (event.latencyMs !== null) latency.observe({ region }, event.latencyMs / 1_000);
        }
      },
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
