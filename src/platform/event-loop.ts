import { performance } from 'node:perf_hooks';

/**
 * The share of the time (0 to 1) the event loop was busy since the previous call: how saturated the
 * process is, for work that should yield to requests.
 */
export function eventLoopBusy(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return busy;
  };
}
