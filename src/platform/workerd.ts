import { drizzle } from 'drizzle-orm/d1';
import { parseWith, settingsSchema, ConfigError } from '../config/settings';
import type { RegionDescriptor } from '../config/region-catalog';
import { composeDeps, type Deps } from '../deps';
import { createRegionStore } from '../store/region-store';
import { schema } from '../store/schema';
import { jsonLogger, systemRuntime } from './system';

function d1Binding(env: Env, region: RegionDescriptor): D1Database {
  const binding = (env as unknown as Record<string, unknown>)[region.bindings.database];
  if (typeof binding !== 'object' || binding === null || !('prepare' in binding)) {
    throw new ConfigError(`Region ${region.id} is enabled but has no D1 binding ${region.bindings.database}`);
  }
  return binding as D1Database;
}

/** The edge composition: settings from bindings, one D1 database per enabled region. */
export function workerDeps(env: Env): Deps {
  const settings = parseWith(settingsSchema, env as unknown as Record<string, unknown>);
  return composeDeps(settings, systemRuntime(jsonLogger()), (region) =>
    createRegionStore(drizzle(d1Binding(env, region), { schema })),
  );
}
