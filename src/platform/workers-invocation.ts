import { AsyncLocalStorage } from 'node:async_hooks';
import type { RegionDescriptor } from '../values/region';
import type { Relay } from '../domain/ports';
import { regionRelaySettings } from '../relay/relay-settings';
import { createWorkerMailerRelay } from '../relay/worker-mailer-relay';

/** What one invocation (fetch or scheduled) owns: its context, the relays it opened, the work it left running. */
interface InvocationScope {
  ctx: ExecutionContext;
  relays: Map<string, Relay>;
  runs: Promise<unknown>[];
}

// Sockets and waitUntil belong to one invocation while the composition is the isolate's: the invocation is
// found through AsyncLocalStorage, which Workers provide for exactly this, rather than threaded through
// every domain call that may start a delivery.
const invocations = new AsyncLocalStorage<InvocationScope>();

function currentInvocation(): InvocationScope {
  const scope = invocations.getStore();
  if (!scope) throw new Error('delivery on Workers runs inside an invocation');
  return scope;
}

/** A region's relay as the current invocation's own worker-mailer relay, opened on first use. */
export function invocationRelay(region: RegionDescriptor, bindings: Record<string, unknown>): Relay {
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

/** Keeps `run` going after the current invocation answers (`waitUntil`); its relays close when it ends. */
export function runAfterAnswer(run: Promise<unknown>): void {
  const scope = currentInvocation();
  scope.runs.push(run);
  scope.ctx.waitUntil(run);
}

/** Awaits every run the invocation started, then closes the relays it opened. */
async function settle(scope: InvocationScope): Promise<void> {
  while (scope.runs.length > 0) await Promise.allSettled(scope.runs.splice(0));
  const relays = [...scope.relays.values()];
  scope.relays.clear();
  await Promise.allSettled(relays.map((relay) => relay.close()));
}

/** Runs one invocation in a scope of its own; what it started runs on through `ctx.waitUntil`. */
export async function inScope<T>(ctx: ExecutionContext, run: () => Promise<T>): Promise<T> {
  const scope: InvocationScope = { ctx, relays: new Map(), runs: [] };
  try {
    return await invocations.run(scope, run);
  } finally {
    ctx.waitUntil(settle(scope));
  }
}
