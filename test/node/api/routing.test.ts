import { afterEach, describe, expect, it } from 'vitest';
import { createSender, expectOciError, json } from '../../support/api';
import { createWorld, TENANCY, type World } from '../../support/world';

let world: World;
afterEach(() => world.close());

describe('opc-request-id', () => {
  it('echoes the caller’s id on success and on errors', async () => {
    world = createWorld();
    const id = '08414660EB2C-11F1-9B51-89853C6CC9AE';
    const ok = await world.request(
      'GET',
      `/us-phoenix-1/20170907/senders?compartmentId=${TENANCY}`,
      undefined,
      {
        'opc-request-id': id,
      },
    );
    expect(ok.headers.get('opc-request-id')).toBe(id);
    const failed = await world.request('GET', '/us-phoenix-1/20170907/senders', undefined, {
      'opc-request-id': id,
    });
    expect(failed.headers.get('opc-request-id')).toBe(id);
  });

  it('generates one when none is given', async () => {
    world = createWorld();
    const response = await world.request('GET', '/healthz');
    expect(response.headers.get('opc-request-id')).toMatch(/^[A-Z2-7]{32}$/);
  });
});

describe('routing', () => {
  it('serves /healthz without a region', async () => {
    world = createWorld();
    const response = await world.request('GET', '/healthz');
    expect(await json<unknown>(response)).toEqual({ status: 'ok' });
  });

  it('tolerates the double slash an endpoint with a trailing slash produces', async () => {
    world = createWorld();
    await createSender(world, 'a@example.com');
    const response = await world.request('GET', `/us-phoenix-1//20170907/senders?compartmentId=${TENANCY}`);
    expect(await json<unknown[]>(response)).toHaveLength(1);
  });

  it('takes the region from the host when BASE_DOMAIN is set', async () => {
    world = createWorld({ BASE_DOMAIN: 'mail.example.net' });
    const created = await world.request(
      'POST',
      'http://ctrl.email.us-ashburn-1.mail.example.net/20170907/senders',
      { compartmentId: TENANCY, emailAddress: 'host@example.com' },
    );
    expect(created.status).toBe(200);
    const byPath = await world.request('GET', `/us-ashburn-1/20170907/senders?compartmentId=${TENANCY}`);
    expect(await json<unknown[]>(byPath)).toHaveLength(1);
    const wrongHost = await world.request(
      'GET',
      `http://ctrl.email.eu-nowhere-1.mail.example.net/20170907/senders`,
    );
    await expectOciError(wrongHost, 404, 'NotAuthorizedOrNotFound');
  });

  it('answers a host-style path without BASE_DOMAIN with 404 NotAuthorizedOrNotFound', async () => {
    world = createWorld();
    await expectOciError(
      await world.request('GET', `/20170907/senders?compartmentId=${TENANCY}`),
      404,
      'NotAuthorizedOrNotFound',
    );
  });
});
