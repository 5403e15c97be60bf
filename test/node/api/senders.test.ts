import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL, createSender, expectOciError, json, type WireSender } from '../../support/api';
import { createWorld, TENANCY, type World } from '../../support/world';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaacompartmenta';

describe('createSender', () => {
  it('returns the OCI Sender model with an etag', async () => {
    const response = await world.request('POST', `${CONTROL()}/senders`, {
      compartmentId: TENANCY,
      emailAddress: 'noreply@example.com',
      freeformTags: { team: 'mail' },
      definedTags: { Operations: { CostCenter: '42' } },
    });
    expect(response.status).toBe(200);
    const sender = await json<WireSender>(response);
    expect(sender).toEqual({
      id: expect.stringMatching(/^ocid1\.emailsender\.oc1\.us-phoenix-1\.amaaaaaa[a-z2-7]{52}$/) as string,
      compartmentId: TENANCY,
      emailAddress: 'noreply@example.com',
      lifecycleState: 'ACTIVE',
      isSpf: false,
      timeCreated: '2026-01-02T03:04:05.678Z',
      freeformTags: { team: 'mail' },
      definedTags: { Operations: { CostCenter: '42' } },
      systemTags: {},
      locks: [],
    });
    expect(response.headers.get('etag')).toBeTruthy();
  });

  it('answers 409 Conflict for an address already approved in the region, compared case-insensitively', async () => {
    await createSender(world, 'Billing@Example.com');
    const again = await world.request('POST', `${CONTROL()}/senders`, {
      compartmentId: COMPARTMENT,
      emailAddress: 'billing@EXAMPLE.com',
    });
    await expectOciError(again, 409, 'Conflict');
  });
});

describe('getSender', () => {
  it('returns the sender with its etag', async () => {
    const created = await createSender(world, 'a@example.com');
    const response = await world.request('GET', `${CONTROL()}/senders/${created.id}`);
    expect(response.status).toBe(200);
    expect(await json<WireSender>(response)).toEqual(created);
    expect(response.headers.get('etag')).toBeTruthy();
  });

  it('answers 404 NotAuthorizedOrNotFound for an unknown sender', async () => {
    const response = await world.request(
      'GET',
      `${CONTROL()}/senders/ocid1.emailsender.oc1.us-phoenix-1.amaaaaaanothere`,
    );
    await expectOciError(response, 404, 'NotAuthorizedOrNotFound');
  });
});

describe('updateSender', () => {
  it('replaces the tag sets given and keeps the others', async () => {
    const created = await createSender(world, 'a@example.com', undefined, {
      freeformTags: { a: '1' },
      definedTags: { ns: { k: 'v' } },
    });
    const response = await world.request('PUT', `${CONTROL()}/senders/${created.id}`, {
      freeformTags: { b: '2' },
    });
    expect(response.status).toBe(200);
    const updated = await json<WireSender>(response);
    expect(updated.freeformTags).toEqual({ b: '2' });
    expect(updated.definedTags).toEqual({ ns: { k: 'v' } });
  });

  it('honours if-match: a stale etag gets 412 NoEtagMatch and changes nothing', async () => {
    const created = await createSender(world, 'a@example.com', undefined, { freeformTags: { a: '1' } });
    const read = await world.request('GET', `${CONTROL()}/senders/${created.id}`);
    const etag = read.headers.get('etag') ?? '';

    const first = await world.request(
      'PUT',
      `${CONTROL()}/senders/${created.id}`,
      { freeformTags: { b: '2' } },
      {
        'if-match': `"${etag}"`,
      },
    );
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(etag);

    const stale = await world.request(
      'PUT',
      `${CONTROL()}/senders/${created.id}`,
      { freeformTags: { c: '3' } },
      {
        'if-match': etag,
      },
    );
    await expectOciError(stale, 412, 'NoEtagMatch');
    const after = await json<WireSender>(await world.request('GET', `${CONTROL()}/senders/${created.id}`));
    expect(after.freeformTags).toEqual({ b: '2' });
  });
});

describe('deleteSender', () => {
  it('marks the sender DELETED, hides it from lists and frees the address', async () => {
    const created = await createSender(world, 'gone@example.com');
    const response = await world.request('DELETE', `${CONTROL()}/senders/${created.id}`);
    expect(response.status).toBe(204);

    const read = await json<WireSender>(await world.request('GET', `${CONTROL()}/senders/${created.id}`));
    expect(read.lifecycleState).toBe('DELETED');
    const list = await json<WireSender[]>(
      await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}`),
    );
    expect(list).toEqual([]);
    const deletedOnly = await json<WireSender[]>(
      await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}&lifecycleState=deleted`),
    );
    expect(deletedOnly.map((s) => s.id)).toEqual([created.id]);

    await createSender(world, 'gone@example.com');
    await expectOciError(
      await world.request('DELETE', `${CONTROL()}/senders/${created.id}`),
      404,
      'NotAuthorizedOrNotFound',
    );
  });

  it('refuses a stale if-match with 412 and keeps the sender', async () => {
    const created = await createSender(world, 'kept@example.com');
    const response = await world.request('DELETE', `${CONTROL()}/senders/${created.id}`, undefined, {
      'if-match': 'not-the-etag',
    });
    await expectOciError(response, 412, 'NoEtagMatch');
    const read = await json<WireSender>(await world.request('GET', `${CONTROL()}/senders/${created.id}`));
    expect(read.lifecycleState).toBe('ACTIVE');
  });
});

describe('changeSenderCompartment', () => {
  it('moves the sender to another compartment', async () => {
    const created = await createSender(world, 'move@example.com');
    const response = await world.request(
      'POST',
      `${CONTROL()}/senders/${created.id}/actions/changeCompartment`,
      {
        compartmentId: COMPARTMENT,
      },
    );
    expect(response.status).toBe(204);
    const moved = await json<WireSender[]>(
      await world.request('GET', `${CONTROL()}/senders?compartmentId=${COMPARTMENT}`),
    );
    expect(moved.map((s) => s.id)).toEqual([created.id]);
  });
});

describe('listSenders', () => {
  it('returns a bare array of summaries with opc-total-items, newest first by default', async () => {
    const first = await createSender(world, 'b@example.com');
    world.runtime.clock.advance(1000);
    const second = await createSender(world, 'a@example.com');
    const response = await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}`);
    expect(response.status).toBe(200);
    const items = await json<Record<string, unknown>[]>(response);
    expect(items.map((s) => s.id)).toEqual([second.id, first.id]);
    expect(items[0]).not.toHaveProperty('isSpf');
    expect(response.headers.get('opc-total-items')).toBe('2');
    expect(response.headers.get('opc-next-page')).toBeNull();
  });

  it('sorts by address ascending by default and honours sortOrder', async () => {
    await createSender(world, 'b@example.com');
    await createSender(world, 'a@example.com');
    await createSender(world, 'c@example.com');
    const list = async (query: string) =>
      (
        await json<WireSender[]>(
          await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}${query}`),
        )
      ).map((s) => s.emailAddress);
    expect(await list('&sortBy=EMAILADDRESS')).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(await list('&sortBy=EMAILADDRESS&sortOrder=DESC')).toEqual([
      'c@example.com',
      'b@example.com',
      'a@example.com',
    ]);
  });

  it('filters by domain and email address', async () => {
    await createSender(world, 'x@one.example');
    await createSender(world, 'y@two.example');
    const list = async (query: string) =>
      (
        await json<WireSender[]>(
          await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}${query}`),
        )
      ).map((s) => s.emailAddress);
    expect(await list('&domain=two.example')).toEqual(['y@two.example']);
    expect(await list('&emailAddress=X@one.example')).toEqual(['x@one.example']);
  });
});
