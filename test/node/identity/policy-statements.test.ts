import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStatement, StatementError } from '../../../src/domain/identity/policies/statement-parser';
import { expectOciError } from '../../support/api';
import { COMPARTMENT_A, createWorld, TENANCY, type World } from '../../support/world';
import { IDENTITY, newCompartment, newGroup } from './identity-helpers';

describe('parseStatement', () => {
  it('reads the served grammar, keywords in any case', () => {
    expect(parseStatement('Allow group Ops to use approved-senders in tenancy')).toEqual({
      groups: [{ value: 'Ops', column: 13 }],
      verb: 'use',
      resource: 'approved-senders',
      location: { kind: 'tenancy', column: 44 },
    });
    expect(parseStatement("ALLOW GROUP a, 'b' TO MANAGE email-family IN COMPARTMENT x:y")).toMatchObject({
      groups: [{ value: 'a' }, { value: 'b' }],
      verb: 'manage',
      resource: 'email-family',
      location: {
        kind: 'compartment-path',
        path: [
          { value: 'x', column: 58 },
          { value: 'y', column: 60 },
        ],
      },
    });
    expect(
      parseStatement('allow group g to inspect all-resources in compartment id ocid1.compartment.oc1..aaaa'),
    ).toMatchObject({ location: { kind: 'compartment-id', id: { value: 'ocid1.compartment.oc1..aaaa' } } });
  });

  const wrong: [string, number, string][] = [
    ['Deny group Ops to use approved-senders in tenancy', 1, 'expected "allow" but found "Deny"'],
    ['Allow any-user to use approved-senders in tenancy', 7, 'only "group <name>" subjects are supported'],
    ['Allow group to use approved-senders in tenancy', 16, 'expected "to" but found "use"'],
    [
      'Allow group Ops to mange approved-senders in tenancy',
      20,
      'expected a verb (inspect, read, use or manage)',
    ],
    ['Allow group Ops to use senders in tenancy', 24, 'expected a resource type'],
    ['Allow group Ops to use approved-senders on tenancy', 41, 'expected "in" but found "on"'],
    ['Allow group Ops to use approved-senders in region', 44, 'expected "tenancy" or "compartment"'],
    ['Allow group Ops to use approved-senders in compartment id nope', 59, '"nope" is not an OCID'],
    ['Allow group Ops to use approved-senders in compartment a::b', 58, '"" is not a compartment name'],
    [
      'Allow group Ops to use approved-senders in tenancy where x = y',
      52,
      'conditions ("where ...") are not supported',
    ],
    ['Allow group Ops to use approved-senders in tenancy now', 52, 'unexpected "now"'],
    [
      'Allow group Ops to use approved-senders in',
      43,
      'expected "tenancy" or "compartment" but the statement ends',
    ],
  ];
  for (const [statement, column, message] of wrong) {
    it(`refuses "${statement}" at column ${column}`, () => {
      let error: unknown;
      try {
        parseStatement(statement);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StatementError);
      expect((error as StatementError).column).toBe(column);
      expect((error as StatementError).message).toContain(message);
    });
  }
});

describe('createPolicy checks statements against the tenancy', () => {
  let world: World;
  beforeEach(() => {
    world = createWorld();
  });
  afterEach(() => world.close());

  async function refusal(compartmentId: string, statements: string[]): Promise<string> {
    const response = await world.request('POST', `${IDENTITY}/policies`, {
      compartmentId,
      name: 'p',
      description: 'p',
      statements,
    });
    return (await expectOciError(response, 400, 'InvalidParameter')).message;
  }

  it('says which statement and which column is wrong, and stores nothing', async () => {
    await newGroup(world, 'Ops');
    const b = await newCompartment(world, TENANCY, 'B');
    expect(
      await refusal(TENANCY, [
        'Allow group Ops to use approved-senders in tenancy',
        'Allow group Nobody to use approved-senders in tenancy',
      ]),
    ).toBe('statements[1], column 13: no group named "Nobody" in this tenancy');
    expect(
      await refusal(TENANCY, [
        'Allow group Ops to use approved-senders in compartment compartment-a:Missing',
      ]),
    ).toBe('statements[0], column 70: no compartment named "Missing" in compartment compartment-a');
    expect(await refusal(COMPARTMENT_A, ['Allow group Ops to use approved-senders in tenancy'])).toBe(
      'statements[0], column 44: a policy below the tenancy cannot grant in the tenancy',
    );
    expect(
      await refusal(COMPARTMENT_A, [`Allow group Ops to use approved-senders in compartment id ${b.id}`]),
    ).toMatch(
      /^statements\[0\], column 59: compartment .* is not inside the compartment this policy is attached to$/,
    );
    expect(await refusal(TENANCY, ['Allow group Ops to manage users in compartment B'])).toBe(
      'statements[0], column 36: users live at tenancy level: write "in tenancy"',
    );
    const listed = await world.request('GET', `${IDENTITY}/policies?compartmentId=${TENANCY}`);
    expect(await listed.json()).toEqual([]);
  });

  it('refuses an empty statement list and more than 50 statements', async () => {
    await newGroup(world, 'Ops');
    const response = await world.request('POST', `${IDENTITY}/policies`, {
      compartmentId: TENANCY,
      name: 'p',
      description: 'p',
      statements: Array.from({ length: 51 }, () => 'Allow group Ops to use approved-senders in tenancy'),
    });
    await expectOciError(response, 400, 'InvalidParameter');
  });
});
