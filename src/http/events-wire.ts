import type { MetricsBucket } from '../domain/events/ports';

export function metricsBucketWire(bucket: MetricsBucket) {
  const { count, totalMs, maxMs } = bucket.relayLatency;
  return {
    timeStart: bucket.timeStart.toISOString(),
    counts: bucket.counts,
    relayLatency: {
      count,
      averageInMs: count === 0 ? 0 : Math.round(totalMs / count),
      maxInMs: maxMs,
    },
  };
}
