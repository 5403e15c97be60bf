import { createClient } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createApp } from '../../src/http/app';
import { regionCatalog } from '../../src/config/region-catalog';
import { settingsSchema, type Settings } from '../../src/config/settings';
import { regionsOf, serviceDepsOf, type ServiceDeps } from '../../src/compose/app-deps';
import { bootstrapTenancy } from '../../src/domain/identity/bootstrap';
import type { IdentityStore } from '../../src/domain/identity/ports';
import {
  libsqlDatabase,
  MIGRATIONS_DIR,
  NODE_COALESCING,
  openLibsql,
  type LibsqlDatabase,
} from '../../src/platform/libsql';
import { createIdentityStore } from '../../src/store/identity/identity-store';
import { createRegionStore } from '../../src/store/region/region-store';
import { capturingLogger, fixedRuntime, sequentialIds } from './fixed-runtime';
import { generateKeyPair, type KeyPair } from '../../src/crypto/rsa-keys';
import { signRequest, type Principal } from '../../src/crypto/request-signature';
import { IAD, PHX } from './regions';

export { IAD, PHX };

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatesttenancy';
/** A compartment directly under TENANCY that every world has, named `compartment-a`. */
export const COMPARTMENT_A = 'ocid1.compartment.oc1..aaaaaaaacompartmenta';

export interface World {
  deps: ServiceDeps;
  runtime: ReturnType<typeof fixedRuntime>;
  databases: Map<string, LibsqlDatabase>;
  /** The identity database; migrated and bootstrapped by the first `admin()` or request, so await one first. */
  identityDatabase: LibsqlDatabase;
  identity: IdentityStore;
  app: ReturnType<typeof createApp>;
  /** The tenancy's administrator (member of Administrators), bootstrapped on first use. */
  admin(): Promise<Principal>;
  /**
   * Sends a request to the app in-process, signed as the administrator; `body` objects are sent as JSON.
   * `path` may also be an absolute URL (to reach the app by host name).
   */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The same, signed as `principal`. */
  requestAs(
    principal: Principal,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  close(): void;
}

let adminKeys: Promise<KeyPair> | undefined;

/** One administrator key pair per test process: a credential, not data, and RSA generation is slow. */
export function sharedAdminKeys(): Promise<KeyPair> {
  adminKeys ??= generateKeyPair();
  return adminKeys;
}

/**
 * A fresh service per test: its own in-memory libSQL database per region and for identity, a manual clock,
 * counter ids, and a tenancy (TENANCY) whose administrator signs every `request`.
 */
export function createWorld(overrides: Partial<Record<keyof Settings, string>> = {}): World {
  const settings = settingsSchema.parse({
    REGIONS: `${PHX},${IAD}`,
    // Nothing listens on port 1: SPF checks fail fast with temperror unless a test serves DNS itself.
    DOH_URL: 'http://127.0.0.1:1/dns-query',
    ...overrides,
  });
  const runtime = fixedRuntime();
  const databases = new Map<string, LibsqlDatabase>();
  const identityDatabase = libsqlDatabase(createClient({ url: ':memory:' }));
  const identityDb = identityDatabase.db;
  // As the Node entry runs: requests in flight together share the stores' reads and writes.
  const identity = createIdentityStore(identityDb, NODE_COALESCING);
  const regions = regionsOf(settings, async (region) => {
    const database = await openLibsql({ url: ':memory:' });
    databases.set(region.id, database);
    return createRegionStore(database, { coalescing: NODE_COALESCING });
  });
  const deps = serviceDepsOf({ settings, runtime, regions, identity });
  const app = createApp(deps);

  // Own ids and logger, so bootstrapping shifts no id or log line a test expects.
  const bootstrapRuntime = { clock: runtime.clock, ids: sequentialIds(), logger: capturingLogger() };
  let admin: Promise<Principal> | undefined;
  const ready = (): Promise<Principal> => {
    admin ??= (async () => {
      await migrate(identityDb, { migrationsFolder: MIGRATIONS_DIR });
      const keys = await sharedAdminKeys();
      const result = await bootstrapTenancy(bootstrapRuntime, identity, {
        publicKeyPem: keys.publicKeyPem,
        tenancyId: TENANCY,
      });
      await identity.forTenancy(TENANCY).compartments.insert({
        id: COMPARTMENT_A,
        parentId: TENANCY,
        name: 'compartment-a',
        description: 'Seeded by the test world',
        lifecycleState: 'ACTIVE',
        freeformTags: {},
        definedTags: {},
        etag: 'seeded',
        timeCreated: runtime.clock.now(),
      });
      return { ...result, privateKey: keys.privateKey };
    })();
    return admin;
  };

  const send = async (
    principal: Principal,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Response> => {
    const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
    const extra = text === undefined ? headers : { 'content-type': 'application/json', ...headers };
    const url = /^https?:\/\//.test(path) ? path : `http://127.0.0.1${path}`;
    const signed = await signRequest(principal, method, url, text, extra, {
      now: runtime.clock.now(),
    });
    return app.request(signed.url, signed);
  };

  return {
    deps,
    runtime,
    databases,
    identityDatabase,
    identity,
    app,
    admin: ready,
    async request(method, path, body, headers = {}) {
      return send(await ready(), method, path, body, headers);
    },
    requestAs: (principal, method, path, body, headers = {}) => send(principal, method, path, body, headers),
    close() {
      identityDatabase.client.close();
      for (const { client } of databases.values()) client.close();
    },
  };
}

export { regionCatalog };
