import * as common from 'oci-common';
import { beforeAll, describe, expect, it } from 'vitest';
import { signRequest, type Principal } from '../../../src/crypto/request-signature';
import { generateKeyPair, type KeyPair } from '../../../src/crypto/rsa-keys';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaasdksignature';
const USER = 'ocid1.user.oc1..aaaaaaaasdksignature';
const NOW = new Date('2026-01-02T03:04:05Z');

let keys: KeyPair;
let principal: Principal;

beforeAll(async () => {
  keys = await generateKeyPair();
  principal = {
    tenancyId: TENANCY,
    userId: USER,
    fingerprint: keys.fingerprint,
    privateKey: keys.privateKey,
  };
});

/** The headers oci-common's own signer sends for the request, at the same x-date. */
async function signedBySdk(method: common.Method, uri: string, body?: string): Promise<Headers> {
  const provider = new common.SimpleAuthenticationDetailsProvider(
    TENANCY,
    USER,
    keys.fingerprint,
    keys.privateKeyPem,
    null,
  );
  const headers = new Headers({ 'x-date': NOW.toUTCString() });
  await new common.DefaultRequestSigner(provider).signHttpRequest({ method, uri, headers, body });
  return headers;
}

// RSASSA-PKCS1-v1_5 is deterministic: the same signing string under the same key gives the same signature.
// The SDK also sends an unsigned `date`, which no verifier reads once x-date is signed.
describe('signRequest signs as the OCI SDK does', () => {
  it.each<[common.Method, string, string | undefined]>([
    ['GET', 'http://127.0.0.1:8080/us-phoenix-1/20170907/senders?compartmentId=ocid1.x&limit=5', undefined],
    ['POST', 'https://email.example.test/20220926/actions/submitEmail', JSON.stringify({ subject: 'Grüße' })],
    ['PUT', 'https://email.example.test/20170907/senders/ocid1.emailsender.x', undefined],
  ])('%s %s', async (method, url, body) => {
    const sdk = await signedBySdk(method, url, body);
    const ours = await signRequest(principal, method, url, body, {}, { now: NOW });
    for (const [name, value] of Object.entries(ours.headers))
      expect([name, value]).toEqual([name, sdk.get(name)]);
  });
});
