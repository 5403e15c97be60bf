import { describe, expect, it } from 'vitest';
import { authenticateSmtp } from '../../../src/domain/identity/smtp-credentials/authenticate';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { signRequest } from '../../../src/crypto/request-signature';
import { identityStore, signedFetch, workerAdmin } from '../signed-fetch';
import { exports } from 'cloudflare:workers';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaworkeridentity';

describe('request signing inside workerd (WebCrypto)', () => {
  it('accepts a signed request and refuses unsigned, tampered and stale ones with 401', async () => {
    const admin = await workerAdmin(TENANCY);
    const created = await signedFetch(admin, 'POST', '/us-phoenix-1/20170907/senders', {
      compartmentId: TENANCY,
      emailAddress: 'worker-signed@example.com',
    });
    expect(created.status).toBe(200);

    const unsigned = await exports.default.fetch(
      `http://worker.test/us-phoenix-1/20170907/senders?compartmentId=${TENANCY}`,
    );
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ code: 'NotAuthenticated' });

    const body = JSON.stringify({ compartmentId: TENANCY, emailAddress: 'tampered@example.com' });
    const signed = await signRequest(
      admin,
      'POST',
      'http://worker.test/us-phoenix-1/20170907/senders',
      body,
      {},
      {
        now: new Date(),
      },
    );
    signed.body = body.replace('tampered', 'tampere2');
    expect((await exports.default.fetch(signed.url, signed)).status).toBe(401);

    const stale = await signRequest(
      admin,
      'GET',
      `http://worker.test/us-phoenix-1/20170907/senders?compartmentId=${TENANCY}`,
      undefined,
      {},
      {
        now: new Date(Date.now() - 6 * 60_000),
      },
    );
    expect((await exports.default.fetch(stale.url, stale)).status).toBe(401);

    const list = await signedFetch(admin, 'GET', `/us-phoenix-1/20170907/senders?compartmentId=${TENANCY}`);
    const items = await list.json<{ emailAddress: string }[]>();
    expect(items.map((s) => s.emailAddress)).toContain('worker-signed@example.com');
    expect(items.map((s) => s.emailAddress)).not.toContain('tampere2@example.com');
  });

  it('serves the identity API from DB_IDENTITY and verifies SMTP passwords with PBKDF2 in workerd', async () => {
    const admin = await workerAdmin(TENANCY);
    const name = `edge-${Date.now()}`;
    const userResponse = await signedFetch(admin, 'POST', '/20160918/users', {
      compartmentId: TENANCY,
      name,
      description: 'edge user',
    });
    expect(userResponse.status).toBe(200);
    const user = await userResponse.json<{ id: string }>();

    const keys = await generateKeyPair();
    const upload = await signedFetch(admin, 'POST', `/20160918/users/${user.id}/apiKeys`, {
      key: keys.publicKeyPem,
    });
    expect(upload.status).toBe(200);
    const asUser = {
      tenancyId: TENANCY,
      userId: user.id,
      fingerprint: keys.fingerprint,
      privateKey: keys.privateKey,
    };
    const denied = await signedFetch(
      asUser,
      'GET',
      `/us-phoenix-1/20170907/senders?compartmentId=${TENANCY}`,
    );
    expect(denied.status).toBe(404);

    const credential = await signedFetch(admin, 'POST', `/20160918/users/${user.id}/smtpCredentials`, {
      description: 'edge relay',
    });
    expect(credential.status).toBe(200);
    const { username, password } = await credential.json<{ username: string; password: string }>();
    const caller = await authenticateSmtp(identityStore(), username, password);
    expect(caller).toMatchObject({ tenancyId: TENANCY, userId: user.id });
    expect(await authenticateSmtp(identityStore(), username, `${password}x`)).toBeUndefined();
  });
});
