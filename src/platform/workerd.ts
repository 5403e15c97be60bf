import { drizzle } from 'drizzle-orm/d1';
import { parseWith, settingsSchema, ConfigError } from '../config/settings';
import type { RegionDescriptor } from '../config/region-catalog';
import { composeDeps, type Deps } from '../deps';
import { createIdentityStore } from '../store/identity-store';
import { createRegionStore } from '../store/region-store';
import { schema } from '../store/schema';
import { jsonLogger, systemRuntime } from './system';

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

/** The edge composition: settings from bindings, one D1 database per enabled region and one for identity. */
export function workerDeps(env: Env): Deps {
  const settings = parseWith(settingsSchema, env as unknown as Record<string, unknown>);
  const identity = createIdentityStore(drizzle(d1Binding(env, IDENTITY_BINDING, 'Identity'), { schema }));
  return composeDeps(
    settings,
    systemRuntime(jsonLogger()),
    (region) => createRegionStore(drizzle(regionBinding(env, region), { schema })),
    identity,
  );
}
