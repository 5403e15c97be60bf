import { createApp } from '../../src/app';
import { regionCatalog } from '../../src/config/region-catalog';
import { settingsSchema, type Settings } from '../../src/config/settings';
import { composeDeps, type Deps } from '../../src/deps';
import { openLibsql, type LibsqlDatabase } from '../../src/platform/libsql';
import { createRegionStore } from '../../src/store/region-store';
import { fixedRuntime } from './fixed-runtime';

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatesttenancy';
export const PHX = 'us-phoenix-1';
export const IAD = 'us-ashburn-1';

export interface World {
  deps: Deps;
  runtime: ReturnType<typeof fixedRuntime>;
  databases: Map<string, LibsqlDatabase>;
  app: ReturnType<typeof createApp>;
  /** Sends a request to the app in-process; `body` objects are sent as JSON. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): void;
}

/** A fresh service per test: its own in-memory libSQL database per region, a manual clock, counter ids. */
export function createWorld(overrides: Partial<Record<keyof Settings, string>> = {}): World {
  const settings = settingsSchema.parse({
    REGIONS: `${PHX},${IAD}`,
    AUTH: 'off',
    LOCAL_TENANCY_ID: TENANCY,
    ...overrides,
  });
  const runtime = fixedRuntime();
  const databases = new Map<string, LibsqlDatabase>();
  const deps = composeDeps(settings, runtime, async (region) => {
    const database = await openLibsql({ url: ':memory:' });
    databases.set(region.id, database);
    return createRegionStore(database.db);
  });
  const app = createApp(deps);
  return {
    deps,
    runtime,
    databases,
    app,
    request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers = { 'content-type': 'application/json', ...headers };
      }
      return Promise.resolve(app.request(`http://127.0.0.1${path}`, init));
    },
    close() {
      for (const { client } of databases.values()) client.close();
    },
  };
}

export { regionCatalog };
