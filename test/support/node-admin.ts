import { join } from 'node:path';
import { bootstrapTenancy } from '../../src/domain/identity/bootstrap';
import { openLibsql } from '../../src/platform/libsql';
import { createIdentityStore } from '../../src/store/identity/identity-store';
import { capturingLogger, manualClock, sequentialIds } from './fixed-runtime';
import { generateKeyPair } from '../../src/crypto/rsa-keys';
import { signRequest, type Principal } from '../../src/crypto/request-signature';

/** Bootstraps `tenancyId` and its administrator into DATA_DIR's identity database, as `npm run admin` does. */
export async function bootstrapNodeAdmin(dataDir: string, tenancyId: string): Promise<Principal> {
  const database = await openLibsql({ url: `file:${join(dataDir, 'identity.db')}` });
  try {
    const keys = await generateKeyPair();
    const runtime = {
      clock: manualClock(new Date().toISOString()),
      ids: sequentialIds(),
      logger: capturingLogger(),
    };
    const result = await bootstrapTenancy(runtime, createIdentityStore(database.db), {
      publicKeyPem: keys.publicKeyPem,
      tenancyId,
    });
    return { ...result, privateKey: keys.privateKey };
  } finally {
    database.client.close();
  }
}

/** `fetch` over the network, signed as `principal` with the real clock. */
export async function signedFetch(
  principal: Principal,
  method: string,
  url: string,
  body?: unknown,
): Promise<Response> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
  const signed = await signRequest(principal, method, url, text, headers, { now: new Date() });
  return fetch(signed.url, signed);
}
