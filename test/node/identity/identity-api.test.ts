import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectOciError, json } from '../../support/api';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { COMPARTMENT_A, createWorld, TENANCY, type World } from '../../support/world';
import { adminCreates, IDENTITY, newCompartment, newGroup, newPolicy } from './identity-helpers';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

describe('users', () => {
  it('pages by name with URL-safe opc-next-page tokens', async () => {
    for (const name of ['erin', 'carol', 'dave', 'bob', 'alice']) {
      await adminCreates(world, '/users', { compartmentId: TENANCY, name, description: name });
    }
    const names: string[] = [];
    let page: string | null = null;
    do {
      const query: string = page ? `&page=${page}` : '';
      const response = await world.request(
        'GET',
        `${IDENTITY}/users?compartmentId=${TENANCY}&sortBy=NAME&limit=2${query}`,
      );
      expect(response.status).toBe(200);
      names.push(...(await json<{ name: string }[]>(response)).map((u) => u.name));
      page = response.headers.get('opc-next-page');
      if (page) expect(page).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (page);
    expect(names).toEqual(['admin', 'alice', 'bob', 'carol', 'dave', 'erin']);
  });

  it('refuses a second user with the same name in any case, and users outside the tenancy', async () => {
    await adminCreates(world, '/users', { compartmentId: TENANCY, name: 'Alice', description: 'a' });
    const again = await world.request('POST', `${IDENTITY}/users`, {
      compartmentId: TENANCY,
      name: 'alice',
      description: 'b',
    });
    await expectOciError(again, 409, 'Conflict');
    const elsewhere = await world.request('POST', `${IDENTITY}/users`, {
      compartmentId: COMPARTMENT_A,
      name: 'zed',
      description: 'z',
    });
    await expectOciError(elsewhere, 400, 'InvalidParameter');
  });
});

describe('API keys', () => {
  it('refuses a duplicate key with 409 and a fourth key with LimitExceeded', async () => {
    const user = await adminCreates(world, '/users', {
      compartmentId: TENANCY,
      name: 'keys',
      description: 'k',
    });
    const path = `${IDENTITY}/users/${user.id}/apiKeys`;
    const first = await generateKeyPair();
    expect((await world.request('POST', path, { key: first.publicKeyPem })).status).toBe(200);
    await expectOciError(await world.request('POST', path, { key: first.publicKeyPem }), 409, 'Conflict');
    for (let i = 0; i < 2; i++) {
      expect(
        (await world.request('POST', path, { key: (await generateKeyPair()).publicKeyPem })).status,
      ).toBe(200);
    }
    const fourth = await world.request('POST', path, { key: (await generateKeyPair()).publicKeyPem });
    await expectOciError(fourth, 400, 'LimitExceeded');
    expect(await json<unknown[]>(await world.request('GET', path))).toHaveLength(3);
  });
});

describe('compartments', () => {
  it('nest at most six levels below the tenancy', async () => {
    let parent = TENANCY;
    for (let depth = 1; depth <= 6; depth++)
      parent = (await newCompartment(world, parent, `level${depth}`)).id;
    const seventh = await world.request('POST', `${IDENTITY}/compartments`, {
      compartmentId: parent,
      name: 'level7',
      description: 'too deep',
    });
    await expectOciError(seventh, 400, 'LimitExceeded');
  });

  it('refuses to delete one that still holds a policy', async () => {
    await newGroup(world, 'Ops');
    const policy = await newPolicy(world, COMPARTMENT_A, 'in-a', [
      'Allow group Ops to read approved-senders in compartment compartment-a',
    ]);
    await expectOciError(
      await world.request('DELETE', `${IDENTITY}/compartments/${COMPARTMENT_A}`),
      409,
      'Conflict',
    );
    expect((await world.request('DELETE', `${IDENTITY}/policies/${policy.id}`)).status).toBe(204);
    expect((await world.request('DELETE', `${IDENTITY}/compartments/${COMPARTMENT_A}`)).status).toBe(204);
  });
});

describe('policies', () => {
  it('honour if-match on update: a stale etag gets 412 and changes nothing', async () => {
    await newGroup(world, 'Ops');
    const created = await world.request('POST', `${IDENTITY}/policies`, {
      compartmentId: TENANCY,
      name: 'etagged',
      description: 'v1',
      statements: ['Allow group Ops to read approved-senders in tenancy'],
    });
    const etag = created.headers.get('etag')!;
    const { id } = await json<{ id: string }>(created);
    const stale = await world.request(
      'PUT',
      `${IDENTITY}/policies/${id}`,
      { description: 'v2' },
      { 'if-match': 'stale' },
    );
    await expectOciError(stale, 412, 'NoEtagMatch');
    const fresh = await world.request(
      'PUT',
      `${IDENTITY}/policies/${id}`,
      { description: 'v2' },
      { 'if-match': etag },
    );
    expect(fresh.status).toBe(200);
    expect(await json<{ description: string }>(fresh)).toMatchObject({ description: 'v2' });
  });
});

it('answers an unknown identity path with 404 NotFound', async () => {
  await expectOciError(
    await world.request('GET', `${IDENTITY}/dynamicGroups?compartmentId=${TENANCY}`),
    404,
    'NotFound',
  );
});
