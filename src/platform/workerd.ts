import { drizzle } from 'drizzle-orm/d1';
import { parseWith, settingsSchema, ConfigError } from '../config/settings';
import type { RegionDescriptor } from '../config/region-catalog';
import { regionRelaySettings } from '../config/relay-settings';
import { composeDeps, type Deps } from '../deps';
import { deliverDue } from '../domain/delivery/deliver-due';
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

/** What one invocation must wait for before it ends: delivery runs it started, then its relays' sockets. */
export interface Invocation {
  deps: Deps;
  /** Awaits every delivery run this invocation started, then closes the relays it opened. */
  settle(): Promise<void>;
}

/**
 * The edge composition for one invocation (fetch or scheduled): settings from bindings, one D1 database per
 * enabled region and one for identity, and a worker-mailer relay per region that lives as long as the
 * invocation, since sockets belong to the request that opened them.
 */
export function workerDeps(env: Env, ctx: ExecutionContext): Invocation {
  const bindings = env as unknown as Record<string, unknown>;
  const settings = parseWith(settingsSchema, bindings);
  const runtime: Runtime = systemRuntime(jsonLogger());
  const identity = createIdentityStore(drizzle(d1Binding(env, IDENTITY_BINDING, 'Identity'), { schema }));
  const relays: Relay[] = [];
  const runs: Promise<unknown>[] = [];
  const deliveryTrigger: DeliveryTrigger = {
    accepted(region) {
      const run = deliverDue(runtime, region, {
        limits: { maxBatches: TRIGGERED_DELIVERY_BATCHES },
        feedback: deps.feedback.delivery,
      }).catch((error: unknown) => {
        runtime.logger.error('delivery.run-failed', { region: region.id, error: (error as Error).message });
      });
      runs.push(run);
      ctx.waitUntil(run);
    },
  };
  const deps = composeDeps(
    settings,
    runtime,
    (region) => createRegionStore(drizzle(regionBinding(env, region), { schema })),
    identity,
    {
      openRelay: (region) => {
        const relay = createWorkerMailerRelay({ endpoint: regionRelaySettings(region, bindings).endpoint });
        relays.push(relay);
        return relay;
      },
      deliveryTrigger,
    },
  );
  return {
    deps,
    async settle() {
      while (runs.length > 0) await Promise.allSettled(runs.splice(0));
      await Promise.allSettled(relays.splice(0).map((relay) => relay.close()));
    },
  };
}
