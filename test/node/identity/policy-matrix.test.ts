import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL, createSender, expectOciError, json, type WireSender } from '../../support/api';
import type { Principal } from '../../../src/crypto/request-signature';
import { createWorld, TENANCY, type World } from '../../support/world';
import { addToGroup, IDENTITY, newCompartment, newGroup, newPolicy, newUser } from './identity-helpers';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

const sendersIn = (compartmentId: string) => `${CONTROL()}/senders?compartmentId=${compartmentId}`;

async function status(principal: Principal, method: string, path: string, body?: unknown): Promise<number> {
  return (await world.requestAs(principal, method, path, body)).status;
}

async function senderCount(compartmentId: string): Promise<number> {
  return (await json<unknown[]>(await world.request('GET', sendersIn(compartmentId)))).length;
}

async function createSenderIn(compartmentId: string, emailAddress: string): Promise<WireSender> {
  const response = await world.request('POST', `${CONTROL()}/senders`, { compartmentId, emailAddress });
  expect(response.status).toBe(200);
  return json<WireSender>(response);
}

describe('a user with no policy', () => {
  it('sees nothing: 404 on every get and list, and writes nothing', async () => {
    const sender = await createSender(world, 'owned@example.com');
    const suppression = await json<{ id: string }>(
      await world.request('POST', `${CONTROL()}/suppressions`, {
        compartmentId: TENANCY,
        emailAddress: 'x@example.com',
      }),
    );
    const nobody = await newUser(world, 'nobody');
    const refused: [string, string, unknown?][] = [
      ['GET', sendersIn(TENANCY)],
      ['GET', `${CONTROL()}/senders/${sender.id}`],
      ['POST', `${CONTROL()}/senders`, { compartmentId: TENANCY, emailAddress: 'mine@example.com' }],
      ['PUT', `${CONTROL()}/senders/${sender.id}`, { freeformTags: { mine: 'yes' } }],
      ['DELETE', `${CONTROL()}/senders/${sender.id}`],
      ['GET', `${CONTROL()}/suppressions?compartmentId=${TENANCY}`],
      ['GET', `${CONTROL()}/suppressions/${suppression.id}`],
      ['POST', `${CONTROL()}/suppressions`, { compartmentId: TENANCY, emailAddress: 'y@example.com' }],
      ['DELETE', `${CONTROL()}/suppressions/${suppression.id}`],
      ['GET', `${CONTROL()}/configuration?compartmentId=${TENANCY}`],
      ['GET', `${IDENTITY}/users?compartmentId=${TENANCY}`],
      ['GET', `${IDENTITY}/users/${nobody.userId}`],
      ['GET', `${IDENTITY}/groups?compartmentId=${TENANCY}`],
      ['GET', `${IDENTITY}/compartments?compartmentId=${TENANCY}`],
      ['GET', `${IDENTITY}/compartments/${TENANCY}`],
      ['GET', `${IDENTITY}/policies?compartmentId=${TENANCY}`],
      ['POST', `${IDENTITY}/groups`, { compartmentId: TENANCY, name: 'mine', description: 'mine' }],
      ['POST', `${IDENTITY}/compartments`, { compartmentId: TENANCY, name: 'mine', description: 'mine' }],
    ];
    for (const [method, path, body] of refused) {
      const response = await world.requestAs(nobody, method, path, body);
      await expectOciError(response, 404, 'NotAuthorizedOrNotFound');
    }
    const senders = await json<WireSender[]>(await world.request('GET', sendersIn(TENANCY)));
    expect(senders.map((s) => [s.id, s.freeformTags])).toEqual([[sender.id, {}]]);
    const groups = await json<unknown[]>(
      await world.request('GET', `${IDENTITY}/groups?compartmentId=${TENANCY}`),
    );
    expect(groups).toHaveLength(1);
    const suppressions = await world.request('GET', `${CONTROL()}/suppressions?compartmentId=${TENANCY}`);
    expect(await json<unknown[]>(suppressions)).toHaveLength(1);
  });

  it('still manages their own API keys and SMTP credentials, as in OCI', async () => {
    const nobody = await newUser(world, 'nobody');
    expect(await status(nobody, 'GET', `${IDENTITY}/users/${nobody.userId}/apiKeys`)).toBe(200);
    expect(
      await status(nobody, 'POST', `${IDENTITY}/users/${nobody.userId}/smtpCredentials`, {
        description: 'mine',
      }),
    ).toBe(200);
    const admin = await world.admin();
    expect(await status(nobody, 'GET', `${IDENTITY}/users/${admin.userId}/apiKeys`)).toBe(404);
  });
});

describe('use approved-senders in compartment A', () => {
  it('grants A and its children but not B, and not more than use', async () => {
    const a = await newCompartment(world, TENANCY, 'A');
    const child = await newCompartment(world, a.id, 'A1');
    const b = await newCompartment(world, TENANCY, 'B');
    const inA = await createSenderIn(a.id, 'a@example.com');
    const inChild = await createSenderIn(child.id, 'child@example.com');
    const inB = await createSenderIn(b.id, 'b@example.com');
    const group = await newGroup(world, 'A-Users');
    await newPolicy(world, TENANCY, 'a-users', [
      'Allow group A-Users to use approved-senders in compartment A',
    ]);
    const user = await newUser(world, 'user', [group.id]);

    expect(await status(user, 'GET', `${CONTROL()}/senders/${inA.id}`)).toBe(200);
    expect(await status(user, 'GET', `${CONTROL()}/senders/${inChild.id}`)).toBe(200);
    expect(await status(user, 'GET', `${CONTROL()}/senders/${inB.id}`)).toBe(404);
    expect(await status(user, 'GET', sendersIn(a.id))).toBe(200);
    expect(await status(user, 'GET', sendersIn(child.id))).toBe(200);
    expect(await status(user, 'GET', sendersIn(b.id))).toBe(404);
    expect(await status(user, 'GET', sendersIn(TENANCY))).toBe(404);
    expect(await status(user, 'GET', `${CONTROL()}/configuration?compartmentId=${a.id}`)).toBe(200);

    // use is below manage: no creating, changing or deleting, and nothing is written.
    expect(
      await status(user, 'POST', `${CONTROL()}/senders`, {
        compartmentId: a.id,
        emailAddress: 'n@example.com',
      }),
    ).toBe(404);
    expect(await status(user, 'DELETE', `${CONTROL()}/senders/${inA.id}`)).toBe(404);
    expect(await status(user, 'PUT', `${CONTROL()}/senders/${inA.id}`, { freeformTags: { x: 'y' } })).toBe(
      404,
    );
    expect(await senderCount(a.id)).toBe(1);
    expect(
      (await json<WireSender>(await world.request('GET', `${CONTROL()}/senders/${inA.id}`))).freeformTags,
    ).toEqual({});
  });

  it('a policy attached to compartment A reaches A and below, by name, path or id', async () => {
    const a = await newCompartment(world, TENANCY, 'A');
    const child = await newCompartment(world, a.id, 'A1');
    const b = await newCompartment(world, TENANCY, 'B');
    const group = await newGroup(world, 'A-Admins');
    await newPolicy(world, a.id, 'a-admins', [
      'allow group A-Admins to manage approved-senders in compartment A',
      `Allow group A-Admins to manage approved-senders in compartment id ${child.id}`,
      'Allow group A-Admins to inspect policies in compartment A:A1',
    ]);
    const user = await newUser(world, 'a-admin', [group.id]);
    const create = (compartmentId: string, emailAddress: string) =>
      status(user, 'POST', `${CONTROL()}/senders`, { compartmentId, emailAddress });
    expect(await create(a.id, 'one@example.com')).toBe(200);
    expect(await create(child.id, 'two@example.com')).toBe(200);
    expect(await create(b.id, 'three@example.com')).toBe(404);
    expect(await create(TENANCY, 'four@example.com')).toBe(404);
    expect(await senderCount(b.id)).toBe(0);
    expect(await status(user, 'GET', `${IDENTITY}/policies?compartmentId=${child.id}`)).toBe(200);
    expect(await status(user, 'GET', `${IDENTITY}/policies?compartmentId=${a.id}`)).toBe(404);
  });

  it('moving a sender needs manage on both compartments', async () => {
    const a = await newCompartment(world, TENANCY, 'A');
    const b = await newCompartment(world, TENANCY, 'B');
    const sender = await createSenderIn(a.id, 'move@example.com');
    const group = await newGroup(world, 'Movers');
    await newPolicy(world, TENANCY, 'movers', [
      'Allow group Movers to manage approved-senders in compartment A',
    ]);
    const user = await newUser(world, 'mover', [group.id]);
    const move = `${CONTROL()}/senders/${sender.id}/actions/changeCompartment`;
    expect(await status(user, 'POST', move, { compartmentId: b.id })).toBe(404);
    expect(await senderCount(a.id)).toBe(1);
  });
});

describe('the verb ladder', () => {
  it('grants cumulatively: inspect lists, read gets, use sends, manage creates', async () => {
    const sender = await createSender(world, 'ladder@example.com');
    const cases = [
      { verb: 'inspect', list: 200, get: 404, create: 404 },
      { verb: 'read', list: 200, get: 200, create: 404 },
      { verb: 'use', list: 200, get: 200, create: 404 },
      { verb: 'manage', list: 200, get: 200, create: 200 },
    ];
    for (const { verb, list, get, create } of cases) {
      const group = await newGroup(world, `g-${verb}`);
      await newPolicy(world, TENANCY, `p-${verb}`, [
        `Allow group g-${verb} to ${verb} email-family in tenancy`,
      ]);
      const user = await newUser(world, `u-${verb}`, [group.id]);
      expect({
        verb,
        list: await status(user, 'GET', sendersIn(TENANCY)),
        get: await status(user, 'GET', `${CONTROL()}/senders/${sender.id}`),
        create: await status(user, 'POST', `${CONTROL()}/senders`, {
          compartmentId: TENANCY,
          emailAddress: `${verb}@example.com`,
        }),
      }).toEqual({ verb, list, get, create });
    }
  });
});

describe('suppressions live at tenancy level', () => {
  it('a grant on a compartment does not reach them; a tenancy grant does', async () => {
    const a = await newCompartment(world, TENANCY, 'A');
    const group = await newGroup(world, 'Mailers');
    await newPolicy(world, TENANCY, 'mailers-a', [
      'Allow group Mailers to manage email-family in compartment A',
    ]);
    const user = await newUser(world, 'mailer', [group.id]);
    const suppress = { compartmentId: TENANCY, emailAddress: 'gone@example.com' };
    expect(
      await status(user, 'POST', `${CONTROL()}/senders`, {
        compartmentId: a.id,
        emailAddress: 's@example.com',
      }),
    ).toBe(200);
    expect(await status(user, 'POST', `${CONTROL()}/suppressions`, suppress)).toBe(404);
    expect(await status(user, 'GET', `${CONTROL()}/suppressions?compartmentId=${TENANCY}`)).toBe(404);
    const stored = await world.request('GET', `${CONTROL()}/suppressions?compartmentId=${TENANCY}`);
    expect(await json<unknown[]>(stored)).toEqual([]);

    const refused = await world.request('POST', `${IDENTITY}/policies`, {
      compartmentId: TENANCY,
      name: 'suppress-a',
      description: 'cannot',
      statements: ['Allow group Mailers to manage suppressions in compartment A'],
    });
    const error = await expectOciError(refused, 400, 'InvalidParameter');
    expect(error.message).toBe(
      'statements[0], column 47: suppressions live at tenancy level: write "in tenancy"',
    );

    await newPolicy(world, TENANCY, 'mailers-t', ['Allow group Mailers to manage suppressions in tenancy']);
    expect(await status(user, 'POST', `${CONTROL()}/suppressions`, suppress)).toBe(200);
  });
});

describe('grants follow the identity store at once', () => {
  it('removing a user from a group removes the grant', async () => {
    const sender = await createSender(world, 'member@example.com');
    const group = await newGroup(world, 'Readers');
    await newPolicy(world, TENANCY, 'readers', ['Allow group Readers to read approved-senders in tenancy']);
    const user = await newUser(world, 'reader');
    const membership = await addToGroup(world, user.userId, group.id);
    expect(await status(user, 'GET', `${CONTROL()}/senders/${sender.id}`)).toBe(200);
    expect((await world.request('DELETE', `${IDENTITY}/userGroupMemberships/${membership.id}`)).status).toBe(
      204,
    );
    expect(await status(user, 'GET', `${CONTROL()}/senders/${sender.id}`)).toBe(404);
  });

  it("a deleted user's key stops working at once", async () => {
    const group = await newGroup(world, 'Temps');
    await newPolicy(world, TENANCY, 'temps', ['Allow group Temps to manage email-family in tenancy']);
    const user = await newUser(world, 'temp');
    const membership = await addToGroup(world, user.userId, group.id);
    expect(await status(user, 'GET', sendersIn(TENANCY))).toBe(200);
    await world.request('DELETE', `${IDENTITY}/userGroupMemberships/${membership.id}`);
    expect((await world.request('DELETE', `${IDENTITY}/users/${user.userId}`)).status).toBe(204);
    await expectOciError(await world.requestAs(user, 'GET', sendersIn(TENANCY)), 401, 'NotAuthenticated');
  });

  it('deleting a policy removes what it granted', async () => {
    const group = await newGroup(world, 'Short');
    const policy = await newPolicy(world, TENANCY, 'short', [
      'Allow group Short to inspect approved-senders in tenancy',
    ]);
    const user = await newUser(world, 'short', [group.id]);
    expect(await status(user, 'GET', sendersIn(TENANCY))).toBe(200);
    expect((await world.request('DELETE', `${IDENTITY}/policies/${policy.id}`)).status).toBe(204);
    expect(await status(user, 'GET', sendersIn(TENANCY))).toBe(404);
  });
});

describe('the Administrators group', () => {
  it('manages everything, cannot be deleted, and only administrators add members to it', async () => {
    const groups = await json<{ id: string; name: string }[]>(
      await world.request('GET', `${IDENTITY}/groups?compartmentId=${TENANCY}&name=Administrators`),
    );
    const administrators = groups[0]!;
    await expectOciError(
      await world.request('DELETE', `${IDENTITY}/groups/${administrators.id}`),
      409,
      'Conflict',
    );

    const managers = await newGroup(world, 'GroupManagers');
    await newPolicy(world, TENANCY, 'group-managers', [
      'Allow group GroupManagers to manage groups in tenancy',
    ]);
    const manager = await newUser(world, 'manager', [managers.id]);
    const promote = { userId: manager.userId, groupId: administrators.id };
    expect(await status(manager, 'POST', `${IDENTITY}/userGroupMemberships`, promote)).toBe(404);

    await addToGroup(world, manager.userId, administrators.id);
    expect(
      await status(manager, 'POST', `${CONTROL()}/suppressions`, {
        compartmentId: TENANCY,
        emailAddress: 'z@example.com',
      }),
    ).toBe(200);
  });
});
