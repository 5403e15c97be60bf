import { AsyncLocalStorage } from 'node:async_hooks';
import { drizzle } from 'drizzle-orm/d1';
import { parseWith, settingsSchema, ConfigError } from '../config/settings';
import type { RegionDescriptor } from '../config/region-catalog';
import { regionRelaySettings } from '../config/relay-settings';
import { createApp } from '../app';
import { composeDeps, type Deps } from '../deps';
import { deliverDue } from '../domain/delivery/deliver-due';
import { errorSummary } from '../domain/errors';
import type { DeliveryTrigger, Relay, Runtime } from '../domain/ports';
import { createWorkerMailerRelay } from '../relay/worker-mailer-relay';
import { createIdentityStore } from '../store/identity-store';
import { createRegionStore } from '../store/region-store';
import { schema } from '../store/schema';
import { jsonLogger, systemRuntime } from './system';

const IDENTITY_BINDING = 'DB_IDENTITY';
/** A submit's own recipients fit in one batch; the cron takes whatever is left. */
const TRIGGERED_DELIVERY_BATCHES = 1;

function d1Binding(env: Env, name: string, purpose: string): D1Database {
  const binding = (env as unknown as Record<string, unknown>)[name];
  if (typeof binding !== 'object' || binding === null || !('prepare' in binding)) {
    throw new ConfigError(`${purpose} has no D1 binding ${name}`);
  }
  return binding as D1Database;
}

const regionBinding = (env: Env, region: RegionDescriptor): D1Database =>
  d1Binding(env, region.bindings.database, `Region ${region.id} is enabled but`);

/** What one invocation (fetch or scheduled) owns: its context, the relays it opened, the delivery runs it started. */
interface InvocationScope {
  ctx: ExecutionContext;
  relays: Map<string, Relay>;
  runs: Promise<unknown>[];
}

const invocations = new AsyncLocalStorage<InvocationScope>();

function currentInvocation(): InvocationScope {
  const scope = invocations.getStore();
  if (!scope) throw new Error('delivery on Workers runs inside an invocation');
  return scope;
}

/**
 * A region's relay as the current invocation's own worker-mailer relay, opened on first use: sockets belong to
 * the request that opened them, while the composition around them is shared by the isolate's invocations.
 */
function invocationRelay(region: RegionDescriptor, bindings: Record<string, unknown>): Relay {
  const { endpoint } = regionRelaySettings(region, bindings);
  return {
    host: endpoint.host,
    send(message) {
      const scope = currentInvocation();
      let relay = scope.relays.get(region.id);
      if (!relay) {
        relay = createWorkerMailerRelay({ endpoint });
        scope.relays.set(region.id, relay);
      }
      return relay.send(message);
    },
    async close() {
      const relays = invocations.getStore()?.relays;
      const relay = relays?.get(region.id);
      relays?.delete(region.id);
      await relay?.close();
    },
  };
}

/** Awaits every delivery run the invocation started, then closes the relays it opened. */
async function settle(scope: InvocationScope): Promise<void> {
  while (scope.runs.length > 0) await Promise.allSettled(scope.runs.splice(0));
  const relays = [...scope.relays.values()];
  scope.relays.clear();
  await Promise.allSettled(relays.map((relay) => relay.close()));
}

/**
 * The edge composition: settings from bindings, one D1 database per enabled region and one for identity, a
 * relay per region that is each invocation's own. Built once per `env` and kept for the isolate's later
 * invocations (composing the app costs more than most requests).
 */
function composeWorker(env: Env): Deps {
  const bindings = env as unknown as Record<string, unknown>;
  const settings = parseWith(settingsSchema, bindings);
  const runtime: Runtime = systemRuntime(jsonLogger());
  const identity = createIdentityStore(drizzle(d1Binding(env, IDENTITY_BINDING, 'Identity'), { schema }));
  const deliveryTrigger: DeliveryTrigger = {
    accepted(region) {
      const scope = currentInvocation();
      const run = deliverDue(runtime, region, {
        limits: { maxBatches: TRIGGERED_DELIVERY_BATCHES },
        feedback: deps.feedback.delivery,
      }).catch((error: unknown) => {
        runtime.logger.error('delivery.run-failed', { region: region.id, ...errorSummary(error) });
      });
      scope.runs.push(run);
      scope.ctx.waitUntil(run);
    },
  };
  const deps = composeDeps(
    settings,
    runtime,
    (region) => createRegionStore(drizzle(regionBinding(env, region), { schema })),
    identity,
    { openRelay: (region) => invocationRelay(region, bindings), deliveryTrigger },
  );
  return deps;
}

/** What an isolate keeps for one `env`: the composition, and the app built on it. */
export interface WorkerWorld {
  deps: Deps;
  app: ReturnType<typeof createApp>;
}

const worlds = new WeakMap<Env, WorkerWorld>();

/**
 * Runs one invocation (fetch or scheduled) with the composition and app the isolate keeps for `env`; delivery
 * it starts runs on after it answers, through `ctx.waitUntil`, and its relays close when that ends.
 */
export async function inInvocation<T>(
  env: Env,
  ctx: ExecutionContext,
  run: (world: WorkerWorld) => Promise<T>,
): Promise<T> {
  let world = worlds.get(env);
  if (!world) {
    const deps = composeWorker(env);
    world = { deps, app: createApp(deps) };
    worlds.set(env, world);
  }
  const scope: InvocationScope = { ctx, relays: new Map(), runs: [] };
  try {
    return await invocations.run(scope, () => run(world));
  } finally {
    ctx.waitUntil(settle(scope));
  }
}
