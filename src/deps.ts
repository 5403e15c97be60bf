import type { AppDeps } from './app';
import { regionCatalog } from './config/region-catalog';
import type { Settings } from './config/settings';
import type { Runtime } from './domain/ports';
import { localCaller, refuseAll } from './http/auth';
import { createRegions, type OpenRegionStore } from './regions';

export interface Deps extends AppDeps {
  settings: Settings;
}

/** The composition root: both entries build their world here and differ only in how a store opens. */
export function composeDeps(settings: Settings, runtime: Runtime, openStore: OpenRegionStore): Deps {
  return {
    settings,
    runtime,
    regions: createRegions(regionCatalog, settings.REGIONS, openStore),
    authenticator: settings.AUTH === 'off' ? localCaller(settings.LOCAL_TENANCY_ID) : refuseAll,
    baseDomain: settings.BASE_DOMAIN,
  };
}
