declare module 'parse-prometheus-text-format' {
  /** One metric family of a Prometheus text exposition: counters, gauges and histograms by name. */
  export interface MetricFamily {
    name: string;
    help: string;
    type: string;
    metrics: unknown[];
  }
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
