import { env, exports } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import { ADMIN_USER_NAME, bootstrapTenancy } from '../../src/domain/identity/bootstrap';
import type { IdentityStore } from '../../src/domain/identity/ports';
import { createIdentityStore } from '../../src/store/identity/identity-store';
import { schema } from '../../src/store/schema';
import { capturingLogger, manualClock, sequentialIds } from '../support/fixed-runtime';
import { generateKeyPair } from '../../src/crypto/rsa-keys';
import { signRequest, type Principal } from '../../src/crypto/request-signature';

export const identityStore = (): IdentityStore => createIdentityStore(drizzle(env.DB_IDENTITY, { schema }));

const admins = new Map<string, Promise<Principal>>();

async function seedAdmin(tenancyId: string): Promise<Principal> {
  const identity = identityStore();
  // D1 may keep rows from an earlier test file: drop the admin's old keys so the key limit never bites.
  const directory = identity.forTenancy(tenancyId);
  const existing = await directory.users.findByName(ADMIN_USER_NAME);
  if (existing) {
    for (const key of await directory.apiKeys.list(existing.id)) {
      await directory.apiKeys.delete(existing.id, key.fingerprint);
    }
  }
  const keys = await generateKeyPair();
  const runtime = {
    clock: manualClock(new Date().toISOString()),
    ids: sequentialIds(),
    logger: capturingLogger(),
  };
  const result = await bootstrapTenancy(runtime, identity, { publicKeyPem: keys.publicKeyPem, tenancyId });
  return { ...result, privateKey: keys.privateKey };
}

/** The administrator of `tenancyId` in DB_IDENTITY, created with a WebCrypto key on first use. */
export function workerAdmin(tenancyId: string): Promise<Principal> {
  let admin = admins.get(tenancyId);
  if (!admin) {
    admin = seedAdmin(tenancyId);
    admins.set(tenancyId, admin);
  }
  return admin;
}

/** Calls the Worker's fetch with a request signed (WebCrypto, as the OCI SDK signs) by `principal`. */
export async function signedFetch(
  principal: Principal,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const extra = text === undefined ? headers : { 'content-type': 'application/json', ...headers };
  const signed = await signRequest(principal, method, `http://worker.test${path}`, text, extra, {
    now: new Date(),
  });
  return exports.default.fetch(signed.url, signed);
}
