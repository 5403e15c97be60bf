import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL, createSuppression, expectOciError, json, type WireSuppression } from '../../support/api';
import { createWorld, TENANCY, type World } from '../../support/world';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

describe('createSuppression', () => {
  it('lower-cases the address and records it as MANUAL', async () => {
    const response = await world.request('POST', `${CONTROL()}/suppressions`, {
      compartmentId: TENANCY,
      emailAddress: 'Someone+Tag@Example.COM',
    });
    expect(response.status).toBe(200);
    expect(await json<WireSuppression>(response)).toEqual({
      id: expect.stringMatching(
        /^ocid1\.emailsuppression\.oc1\.us-phoenix-1\.amaaaaaa[a-z2-7]{52}$/,
      ) as string,
      compartmentId: TENANCY,
      emailAddress: 'someone+tag@example.com',
      reason: 'MANUAL',
      timeCreated: '2026-01-02T03:04:05.678Z',
      timeLastSuppressed: '2026-01-02T03:04:05.678Z',
    });
  });

  it('returns the existing suppression when the address is already suppressed', async () => {
    const first = await createSuppression(world, 'dup@example.com');
    const again = await createSuppression(world, 'DUP@example.com');
    expect(again).toEqual(first);
  });

  it('requires the tenancy OCID as compartmentId', async () => {
    const response = await world.request('POST', `${CONTROL()}/suppressions`, {
      compartmentId: 'ocid1.compartment.oc1..aaaaaaaacompartmenta',
      emailAddress: 'x@example.com',
    });
    await expectOciError(response, 400, 'InvalidParameter');
    const other = await world.request('POST', `${CONTROL()}/suppressions`, {
      compartmentId: 'ocid1.tenancy.oc1..aaaaaaaaanothertenancy',
      emailAddress: 'x@example.com',
    });
    await expectOciError(other, 400, 'InvalidParameter');
    const list = await world.request('GET', `${CONTROL()}/suppressions?compartmentId=${TENANCY}`);
    expect(await json<unknown[]>(list)).toEqual([]);
  });
});

describe('getSuppression and deleteSuppression', () => {
  it('reads and deletes a suppression', async () => {
    const created = await createSuppression(world, 'x@example.com');
    const read = await world.request('GET', `${CONTROL()}/suppressions/${created.id}`);
    expect(await json<WireSuppression>(read)).toEqual(created);
    const removed = await world.request('DELETE', `${CONTROL()}/suppressions/${created.id}`);
    expect(removed.status).toBe(204);
    await expectOciError(
      await world.request('GET', `${CONTROL()}/suppressions/${created.id}`),
      404,
      'NotAuthorizedOrNotFound',
    );
    await expectOciError(
      await world.request('DELETE', `${CONTROL()}/suppressions/${created.id}`),
      404,
      'NotAuthorizedOrNotFound',
    );
  });
});

describe('listSuppressions', () => {
  it('returns a bare array of summaries, newest first', async () => {
    const older = await createSuppression(world, 'old@example.com');
    world.runtime.clock.advance(60_000);
    const newer = await createSuppression(world, 'new@example.com');
    const items = await json<Record<string, unknown>[]>(
      await world.request('GET', `${CONTROL()}/suppressions?compartmentId=${TENANCY}`),
    );
    expect(items.map((s) => s.id)).toEqual([newer.id, older.id]);
    expect(items[0]).toEqual({
      id: newer.id,
      compartmentId: TENANCY,
      emailAddress: 'new@example.com',
      reason: 'MANUAL',
      timeCreated: newer.timeCreated,
    });
  });

  it('filters by address and by creation window', async () => {
    world.runtime.clock.set('2024-01-02T01:00:00.000Z');
    await createSuppression(world, 'early@example.com');
    world.runtime.clock.set('2024-01-02T05:00:00.000Z');
    await createSuppression(world, 'late@example.com');
    const list = async (query: string) =>
      (
        await json<WireSuppression[]>(
          await world.request('GET', `${CONTROL()}/suppressions?compartmentId=${TENANCY}${query}`),
        )
      ).map((s) => s.emailAddress);
    expect(await list('&emailAddress=EARLY@example.com')).toEqual(['early@example.com']);
    expect(await list('&timeCreatedGreaterThanOrEqualTo=2024-01-02T3:04:05Z')).toEqual(['late@example.com']);
    expect(await list('&timeCreatedLessThan=2024-01-02T03:04:05.000Z')).toEqual(['early@example.com']);
  });
});

describe('getEmailConfiguration', () => {
  it('answers the root compartment and this server as the submit endpoints', async () => {
    const response = await world.request('GET', `${CONTROL()}/configuration?compartmentId=${TENANCY}`);
    expect(response.status).toBe(200);
    expect(await json<unknown>(response)).toEqual({
      compartmentId: TENANCY,
      httpSubmitEndpoint: 'http://127.0.0.1/us-phoenix-1',
      smtpSubmitEndpoint: '127.0.0.1',
    });
  });

  it('names region hosts under BASE_DOMAIN when one is configured', async () => {
    world.close();
    world = createWorld({ BASE_DOMAIN: 'mail.example.net' });
    const response = await world.request(
      'GET',
      `/us-ashburn-1/20170907/configuration?compartmentId=ocid1.compartment.oc1..aaaaaaaacompartmenta`,
    );
    expect(await json<unknown>(response)).toEqual({
      compartmentId: TENANCY,
      httpSubmitEndpoint: 'cell0.submit.email.us-ashburn-1.mail.example.net',
      smtpSubmitEndpoint: 'smtp.email.us-ashburn-1.mail.example.net',
    });
  });
});
