import type { AppDeps } from './app';
import { regionCatalog } from './config/region-catalog';
import type { Settings } from './config/settings';
import type { Runtime } from './domain/ports';
import { createDohResolver } from './dns/doh-resolver';
import type { IdentityStore } from './domain/identity/ports';
import { signatureAuthenticator } from './http/signing/verify-request';
import { createRegions, type OpenRegionStore } from './regions';

export interface Deps extends AppDeps {
  settings: Settings;
}

/** The composition root: both entries build their world here and differ only in how a store opens. */
export function composeDeps(
  settings: Settings,
  runtime: Runtime,
  openStore: OpenRegionStore,
  identity: IdentityStore,
): Deps {
  return {
    settings,
    runtime,
    regions: createRegions(regionCatalog, settings.REGIONS, openStore),
    identity,
    authenticator: signatureAuthenticator(identity, runtime),
    baseDomain: settings.BASE_DOMAIN,
    // Called through a closure: Workers refuse a detached `fetch` ("Illegal invocation").
    resolver: createDohResolver({
      url: settings.DOH_URL,
      fetch: (url, init) => fetch(url, init),
      clock: runtime.clock,
    }),
  };
}
