import { deliverDue } from '../domain/delivery/deliver-due';
import type { DeliveryFeedback } from '../domain/feedback/feedback-config';
import type { DeliveryLimits } from '../domain/delivery/run';
import { errorSummary } from '../domain/errors';
import type { DeliveryTrigger, RegionHandle, Runtime } from '../domain/ports';

/** How often the worker looks for retries that came due and leases a crashed process left behind. */
export const DELIVERY_POLL_MS = 15_000;

export interface DeliveryWorkerOptions {
  /** The regions to poll: those with data, so polling never creates an empty database. */
  pollRegions: () => Promise<RegionHandle[]>;
  pollMs?: number;
  limits?: Partial<DeliveryLimits>;
  feedback?: DeliveryFeedback;
}

export interface DeliveryWorker {
  trigger: DeliveryTrigger;
  /** Stops polling, lets the attempts in flight finish, releases what was claimed but not attempted. */
  stop(): Promise<void>;
}

interface RegionRun {
  running: Promise<void> | undefined;
  again: boolean;
}

/** Node's delivery: runs in-process, woken by each accepted submission and by a modest poll. */
export function startDeliveryWorker(rt: Runtime, options: DeliveryWorkerOptions): DeliveryWorker {
  const stopping = new AbortController();
  const runs = new Map<string, RegionRun>();

  // Reads and clears the wake-up that arrived while a run was going.
  const takeAgain = (run: RegionRun): boolean => {
    const again = run.again;
    run.again = false;
    return again;
  };

  async function drain(region: RegionHandle, run: RegionRun): Promise<void> {
    do {
      for (;;) {
        const report = await deliverDue(rt, region, {
          signal: stopping.signal,
          limits: options.limits,
          feedback: options.feedback,
        });
        if (report.drained || stopping.signal.aborted) break;
      }
    } while (takeAgain(run) && !stopping.signal.aborted);
  }

  function wake(region: RegionHandle): void {
    if (stopping.signal.aborted) return;
    let run = runs.get(region.id);
    if (!run) runs.set(region.id, (run = { running: undefined, again: false }));
    if (run.running) {
      run.again = true;
      return;
    }
    const current = run;
    current.running = drain(region, current)
      .catch((error: unknown) => {
        rt.logger.error('delivery.run-failed', { region: region.id, ...errorSummary(error) });
      })
      .finally(() => {
        current.running = undefined;
      });
  }

  const poll = (): void => {
    options.pollRegions().then(
      (regions) => regions.forEach(wake),
      (error: unknown) => rt.logger.error('delivery.poll-failed', errorSummary(error)),
    );
  };
  const timer = setInterval(poll, options.pollMs ?? DELIVERY_POLL_MS);
  timer.unref();
  poll();

  return {
    trigger: { accepted: wake },
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await Promise.all([...runs.values()].flatMap((run) => (run.running ? [run.running] : [])));
    },
  };
}
