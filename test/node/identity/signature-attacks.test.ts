import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL, expectOciError, json } from '../../support/api';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { signRequest, type Principal, type SignedRequest } from '../../../src/crypto/request-signature';
import { createWorld, TENANCY, type World } from '../../support/world';

let world: World;
let admin: Principal;
beforeEach(async () => {
  world = createWorld();
  admin = await world.admin();
});
afterEach(() => world.close());

const SENDERS = `http://127.0.0.1${CONTROL()}/senders`;
const body = JSON.stringify({ compartmentId: TENANCY, emailAddress: 'signed@example.com' });

function sign(
  principal: Principal,
  options: { method?: string; now?: Date; signedHeaders?: string[] } = {},
): Promise<SignedRequest> {
  const method = options.method ?? 'POST';
  return signRequest(
    principal,
    method,
    SENDERS,
    method === 'POST' ? body : undefined,
    {},
    {
      now: options.now ?? world.runtime.clock.now(),
      ...(options.signedHeaders ? { signedHeaders: options.signedHeaders } : {}),
    },
  );
}

const send = (signed: SignedRequest): Promise<Response> =>
  Promise.resolve(world.app.request(signed.url, signed));

async function expectRefused(signed: SignedRequest): Promise<void> {
  await expectOciError(await send(signed), 401, 'NotAuthenticated');
}

async function sendersStored(): Promise<number> {
  const list = await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}`);
  return (await json<unknown[]>(list)).length;
}

describe('a correctly signed request', () => {
  it('is accepted, with x-date or with date', async () => {
    expect((await send(await sign(admin))).status).toBe(200);
    const withDate = await signRequest(
      admin,
      'GET',
      `${SENDERS}?compartmentId=${TENANCY}`,
      undefined,
      {
        date: world.runtime.clock.now().toUTCString(),
      },
      { now: world.runtime.clock.now(), signedHeaders: ['date', '(request-target)', 'host'] },
    );
    delete withDate.headers['x-date'];
    expect((await send(withDate)).status).toBe(200);
  });
});

describe('signature attacks are refused with 401 NotAuthenticated and write nothing', () => {
  it('no signature at all', async () => {
    const signed = await sign(admin);
    delete signed.headers.authorization;
    await expectRefused(signed);
  });

  it('a garbled Authorization header', async () => {
    const signed = await sign(admin);
    signed.headers.authorization = 'Signature keyId=unquoted';
    await expectRefused(signed);
  });

  it('signed with the wrong private key', async () => {
    const other = await generateKeyPair();
    await expectRefused(await sign({ ...admin, privateKey: other.privateKey }));
  });

  it('an unknown fingerprint', async () => {
    const other = await generateKeyPair();
    await expectRefused(
      await sign({ ...admin, fingerprint: other.fingerprint, privateKey: other.privateKey }),
    );
  });

  it('the body changed after signing (same length)', async () => {
    const signed = await sign(admin);
    signed.body = body.replace('signed@', 'evil12@');
    expect(signed.body.length).toBe(body.length);
    await expectRefused(signed);
  });

  it('the body changed after signing (other length)', async () => {
    const signed = await sign(admin);
    signed.body = body.replace('signed@', 'attacker@');
    await expectRefused(signed);
  });

  it('a signed header changed after signing', async () => {
    const signed = await sign(admin);
    signed.headers['x-date'] = new Date(world.runtime.clock.now().getTime() + 1000).toUTCString();
    await expectRefused(signed);
  });

  it('the signed path changed after signing', async () => {
    const signed = await sign(admin);
    signed.url = signed.url.replace('us-phoenix-1', 'us-ashburn-1');
    await expectRefused(signed);
  });

  it('a date 6 minutes old, or 6 minutes ahead', async () => {
    const now = world.runtime.clock.now().getTime();
    await expectRefused(await sign(admin, { now: new Date(now - 6 * 60_000) }));
    await expectRefused(await sign(admin, { now: new Date(now + 6 * 60_000) }));
  });

  it('a POST without x-content-sha256', async () => {
    const signed = await sign(admin, {
      signedHeaders: ['x-date', '(request-target)', 'host', 'Content-Type', 'Content-Length'],
    });
    delete signed.headers['x-content-sha256'];
    await expectRefused(signed);
  });

  it('a POST whose x-content-sha256 is sent but not signed', async () => {
    await expectRefused(
      await sign(admin, {
        signedHeaders: ['x-date', '(request-target)', 'host', 'Content-Type', 'Content-Length'],
      }),
    );
  });

  it('a header list that omits (request-target)', async () => {
    await expectRefused(
      await sign(admin, {
        signedHeaders: ['x-date', 'host', 'Content-Type', 'Content-Length', 'x-content-sha256'],
      }),
    );
    await expectRefused(await sign(admin, { method: 'GET', signedHeaders: ['x-date', 'host'] }));
  });

  it('a key id that is not tenancy/user/fingerprint', async () => {
    const signed = await sign(admin);
    signed.headers.authorization = signed.headers.authorization!.replace(/keyId="[^"]*"/, 'keyId="someone"');
    await expectRefused(signed);
  });

  afterEach(async () => {
    expect(await sendersStored()).toBe(0);
  });
});

it('logs why a request was refused, and nothing of the request', async () => {
  const signed = await sign(admin);
  signed.body = body.replace('signed@', 'evil12@');
  await send(signed);
  const refusals = world.runtime.logger.entries.filter((entry) => entry.event === 'auth.refused');
  expect(refusals).toEqual([{ level: 'warn', event: 'auth.refused', fields: { reason: 'bad-digest' } }]);
});
