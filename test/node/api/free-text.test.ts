import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL, createSender, expectOciError, json } from '../../support/api';
import { createWorld, TENANCY, type World } from '../../support/world';
import { adminCreates, IDENTITY, newGroup } from '../identity/identity-helpers';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

const STATEMENTS = ['Allow group Ops to read approved-senders in tenancy'];

/** Asserts a 400 InvalidParameter whose message names `field`. */
async function refused(response: Response, field: string): Promise<void> {
  const { message } = await expectOciError(response, 400, 'InvalidParameter');
  expect(message).toContain(field);
}

describe('descriptions keep line feeds and tabs, and refuse every other control character', () => {
  const bodies = {
    '/users': (description: string) => ({ compartmentId: TENANCY, name: 'u', description }),
    '/groups': (description: string) => ({ compartmentId: TENANCY, name: 'Ops', description }),
    '/policies': (description: string) => ({
      compartmentId: TENANCY,
      name: 'p',
      description,
      statements: STATEMENTS,
    }),
  };
  for (const [path, body] of Object.entries(bodies)) {
    it(`on create ${path}`, async () => {
      if (path === '/policies') await newGroup(world, 'Ops');
      for (const bad of ['nul\u0000', 'carriage\rreturn', 'bell\u0007', 'escape\u001b[31m', 'del\u007f']) {
        await refused(await world.request('POST', `${IDENTITY}${path}`, body(bad)), 'description');
      }
      const created = await adminCreates<{ id: string; description: string }>(
        world,
        path,
        body('line one\n\tline two'),
      );
      expect(created.description).toBe('line one\n\tline two');
    });
  }

  it('on update of a policy, and on SMTP credentials', async () => {
    await newGroup(world, 'Ops');
    const policy = await adminCreates<{ id: string }>(world, '/policies', bodies['/policies']('v1'));
    await refused(
      await world.request('PUT', `${IDENTITY}/policies/${policy.id}`, { description: 'v2\u0000' }),
      'description',
    );
    const user = await adminCreates<{ id: string }>(world, '/users', bodies['/users']('u'));
    const credentials = `${IDENTITY}/users/${user.id}/smtpCredentials`;
    await refused(await world.request('POST', credentials, { description: 'app\u0000' }), 'description');
    const created = await world.request('POST', credentials, { description: 'app\nserver' });
    expect(created.status).toBe(200);
    const { id } = await json<{ id: string }>(created);
    await refused(
      await world.request('PUT', `${credentials}/${id}`, { description: 'app\r\nBcc: x' }),
      'description',
    );
  });
});

describe('tag values refuse every control character', () => {
  const values = ['line\nfeed', 'tab\there', 'nul\u0000', 'carriage\rreturn'];

  it('freeform and defined tags of identity resources', async () => {
    for (const value of values) {
      await refused(
        await world.request('POST', `${IDENTITY}/users`, {
          compartmentId: TENANCY,
          name: 'u',
          description: 'u',
          freeformTags: { team: value },
        }),
        'freeformTags.team',
      );
      await refused(
        await world.request('POST', `${IDENTITY}/groups`, {
          compartmentId: TENANCY,
          name: 'g',
          description: 'g',
          definedTags: { ops: { cost: value } },
        }),
        'definedTags.ops.cost',
      );
    }
    await refused(
      await world.request('POST', `${IDENTITY}/groups`, {
        compartmentId: TENANCY,
        name: 'g',
        description: 'g',
        definedTags: { ops: { nested: { deeper: ['fine', 'not\u0000fine'] } } },
      }),
      'definedTags.ops.nested',
    );
  });

  it("senders' tags, on create and update", async () => {
    const senders = `${CONTROL()}/senders`;
    for (const value of values) {
      await refused(
        await world.request('POST', senders, {
          compartmentId: TENANCY,
          emailAddress: 'a@example.com',
          freeformTags: { team: value },
        }),
        'freeformTags.team',
      );
    }
    const sender = await createSender(world, 'b@example.com', undefined, {
      freeformTags: { team: 'mail' },
      definedTags: { ops: { cost: '42' } },
    });
    await refused(
      await world.request('PUT', `${senders}/${sender.id}`, { definedTags: { ops: { cost: '4\n2' } } }),
      'definedTags.ops.cost',
    );
    const read = await json<{ definedTags: object }>(await world.request('GET', `${senders}/${sender.id}`));
    expect(read.definedTags).toEqual({ ops: { cost: '42' } });
  });
});
