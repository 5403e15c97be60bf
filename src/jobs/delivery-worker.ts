import { deliverDue } from '../domain/delivery/deliver-due';
import type { DeliveryFeedback } from '../domain/feedback/feedback-config';
import type { DeliveryHooks, DeliveryLimits } from '../domain/delivery/run';
import { errorSummary } from '../domain/errors';
import type { DeliveryTrigger, RegionHandle, Runtime } from '../domain/ports';
import { deliverWebhooks, type WebhookLimits } from '../domain/webhooks/deliver';
import type { WebhookDelivery } from '../domain/webhooks/ports';

/** How often the worker looks for retries that came due and leases a crashed process left behind. */
export const DELIVERY_POLL_MS = 15_000;
/**
 * The least time between two webhook passes of a region under steady load: each pass then posts what a
 * quarter second of submits wrote, instead of a pass per submit.
 */
export const WEBHOOK_PASS_INTERVAL_MS = 250;
/** The event loop counts as saturated when it was busy this share of the time since the last look. */
const SATURATED = 0.9;
/**
 * While the loop is saturated, webhook passes take at most this share of the time, so submits keep the
 * rest; what waits is posted once the load falls.
 */
export const WEBHOOK_SHARE_WHEN_SATURATED = 0.05;

export interface DeliveryWorkerOptions {
  /** The regions to poll: those with data, so polling never creates an empty database. */
  pollRegions: () => Promise<RegionHandle[]>;
  pollMs?: number;
  limits?: Partial<DeliveryLimits>;
  feedback?: DeliveryFeedback;
  /** Authenticates each copy (DKIM, return path) before it is relayed. */
  hooks?: DeliveryHooks;
  /** Posts the region's webhooks when woken; none when webhooks are off. */
  webhooks?: WebhookDelivery | undefined;
  webhookLimits?: Partial<WebhookLimits>;
  /** The share of the time the process was busy since the last call (0 to 1); none: never saturated. */
  loopBusy?: () => number;
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

/** What a run of `work` asks for: another run although nobody woke it (work was left), and a rest first. */
interface RunEnd {
  more: boolean;
  restMs: number;
}

/**
 * Runs `work` for a region when woken, one run at a time per region: a wake-up during a run, or work
 * left by it, makes one more run after it, after the rest it asked for.
 */
function coalescedRuns(
  rt: Runtime,
  failure: string,
  stopping: AbortSignal,
  work: (region: RegionHandle) => Promise<RunEnd>,
) {
  const runs = new Map<string, RegionRun>();
  const rest = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  // A function, so the check reads the flag as a wake-up during `work` left it.
  const wokenAgain = (run: RegionRun): boolean => run.again && !stopping.aborted;

  async function drain(region: RegionHandle, run: RegionRun): Promise<void> {
    for (;;) {
      run.again = false;
      const { more, restMs } = await work(region);
      if (more) run.again = true;
      if (!wokenAgain(run)) return;
      if (restMs > 0) await rest(restMs);
    }
  }

  return {
    wake(region: RegionHandle): void {
      if (stopping.aborted) return;
      let run = runs.get(region.id);
      if (!run) runs.set(region.id, (run = { running: undefined, again: false }));
      if (run.running) {
        run.again = true;
        return;
      }
      const current = run;
      current.running = drain(region, current)
        .catch((error: unknown) => {
          rt.logger.error(failure, { region: region.id, ...errorSummary(error) });
        })
        .finally(() => {
          current.running = undefined;
        });
    },
    running: () => [...runs.values()].flatMap((run) => (run.running ? [run.running] : [])),
  };
}

/**
 * Node's delivery: runs in-process, woken by each accepted submission and by a modest poll; the region's
 * webhooks are posted by a run of their own, woken the same way.
 */
export function startDeliveryWorker(rt: Runtime, options: DeliveryWorkerOptions): DeliveryWorker {
  const stopping = new AbortController();
  const { webhooks } = options;

  const deliveries = coalescedRuns(rt, 'delivery.run-failed', stopping.signal, async (region) => {
    for (;;) {
      const report = await deliverDue(rt, region, {
        signal: stopping.signal,
        limits: options.limits,
        feedback: options.feedback,
        hooks: options.hooks,
      });
      if (report.drained || stopping.signal.aborted) break;
    }
    // What the run recorded is for the webhooks too.
    posts?.wake(region);
    return { more: false, restMs: 0 };
  });
  const posts = webhooks
    ? coalescedRuns(rt, 'webhook.run-failed', stopping.signal, async (region) => {
        // Saturated, a pass is one batch and the rest after it keeps the passes to their share of the time.
        const saturated = (options.loopBusy?.() ?? 0) >= SATURATED;
        const started = performance.now();
        const { more } = await deliverWebhooks(rt, region, webhooks, {
          ...options.webhookLimits,
          ...(saturated ? { maxBatches: 1 } : {}),
        });
        const ran = performance.now() - started;
        const yielding = saturated ? ran * (1 / WEBHOOK_SHARE_WHEN_SATURATED - 1) : 0;
        return { more, restMs: Math.max(WEBHOOK_PASS_INTERVAL_MS, yielding) };
      })
    : undefined;

  const wake = (region: RegionHandle): void => {
    deliveries.wake(region);
    posts?.wake(region);
  };
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
      await Promise.all([...deliveries.running(), ...(posts?.running() ?? [])]);
    },
  };
}
