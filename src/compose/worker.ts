import { parseWith, settingsSchema, ConfigError } from '../config/settings';
import type { RegionDescriptor } from '../values/region';
import { createApp } from '../http/app';
import { deliverAfterAnswer } from '../jobs/triggered-delivery';
import { createIdentityStore } from '../store/identity/identity-store';
import { createRegionStore } from '../store/region/region-store';
import { d1Database } from '../platform/d1';
import { jsonLogger, systemRuntime } from '../platform/system';
import { inScope, invocationRelay, runAfterAnswer } from '../platform/workers-invocation';
import {
  deliveryHooksOf,
  feedbackOf,
  regionsOf,
  serviceDepsOf,
  webhookDeliveryOf,
  type ServiceDeps,
} from './app-deps';

const IDENTITY_BINDING = 'DB_IDENTITY';

function d1Binding(env: Env, name: string, purpose: string): D1Database {
  const binding = (env as unknown as Record<string, unknown>)[name];
  if (typeof binding !== 'object' || binding === null || !('prepare' in binding)) {
    throw new ConfigError(`${purpose} has no D1 binding ${name}`);
  }
  return binding as D1Database;
}

const regionBinding = (env: Env, region: RegionDescriptor): D1Database =>
  d1Binding(env, region.bindings.database, `Region ${region.id} is enabled but`);

/** What an isolate keeps for one `env`: the composition, and the app built on it. */
export interface WorkerWorld {
  deps: ServiceDeps;
  app: ReturnType<typeof createApp>;
}

/**
 * The edge composition, in order: settings from bindings, one D1 database for identity and one per enabled
 * region, a relay per region that is each invocation's own, the delivery trigger, then the app. Delivery:
 * each accepted submission relays its own recipients after the answer (`waitUntil`), and the cron sweep
 * (`deliverySweep`) takes retries and whatever is left. Built once per `env` and kept for the isolate's
 * later invocations (composing the app costs more than most requests).
 */
function composeWorker(env: Env): WorkerWorld {
  const bindings = env as unknown as Record<string, unknown>;
  const settings = parseWith(settingsSchema, bindings);
  const runtime = systemRuntime(jsonLogger());
  const identity = createIdentityStore(d1Database(d1Binding(env, IDENTITY_BINDING, 'Identity')).db);
  const regions = regionsOf(
    settings,
    (region) =>
      createRegionStore(d1Database(regionBinding(env, region)), { eventLog: settings.EVENT_LOG === 'on' }),
    (region) => invocationRelay(region, bindings),
  );
  const feedback = feedbackOf(settings);
  const webhooks = webhookDeliveryOf(settings);
  const hooks = deliveryHooksOf(settings, runtime);
  const deliveryTrigger = deliverAfterAnswer(runtime, feedback.delivery, webhooks, hooks, runAfterAnswer);
  const deps = serviceDepsOf({ settings, runtime, regions, identity, feedback, deliveryTrigger });
  return { deps, app: createApp(deps) };
}

const worlds = new WeakMap<Env, WorkerWorld>();

/**
 * Runs one invocation (fetch or scheduled) with the composition and app the isolate keeps for `env`; delivery
 * it starts runs on after it answers, and its relays close when that ends.
 */
export function inInvocation<T>(
  env: Env,
  ctx: ExecutionContext,
  run: (world: WorkerWorld) => Promise<T>,
): Promise<T> {
  let world = worlds.get(env);
  if (!world) {
    world = composeWorker(env);
    worlds.set(env, world);
  }
  const kept = world;
  return inScope(ctx, () => run(kept));
}
