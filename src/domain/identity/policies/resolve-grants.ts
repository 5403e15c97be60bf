import { DomainError } from '../../errors';
import type { ResourceType } from '../../ports';
import { ancestry } from '../compartment-path';
import { nameKey } from '../names';
import type { Compartment, Directory, Grant } from '../ports';
import { parseStatement, StatementError, type Location } from './statement-parser';

export const MAX_STATEMENTS = 50; // OCI's limit of statements per policy

/** These live in the tenancy itself (suppressions are kept per tenancy), so a grant below it means nothing. */
const tenancyOnly: readonly ResourceType[] = ['suppressions', 'users', 'groups', 'smtp-ingress'];

interface Scope {
  directory: Directory;
  tenancyId: string;
  /** The compartment the policy is attached to; undefined for the tenancy. */
  home: Compartment | undefined;
}

async function compartmentById(scope: Scope, id: string, column: number): Promise<string> {
  const homeId = scope.home?.id ?? scope.tenancyId;
  if (id === scope.tenancyId) {
    if (scope.home)
      throw new StatementError(column, 'a policy below the tenancy cannot grant in the tenancy');
    return id;
  }
  const compartment = await scope.directory.compartments.findById(id);
  if (!compartment || compartment.lifecycleState === 'DELETED') {
    throw new StatementError(column, `no compartment ${id} in this tenancy`);
  }
  const chain = await ancestry(scope.directory, scope.tenancyId, id);
  if (!chain.includes(homeId)) {
    throw new StatementError(
      column,
      `compartment ${id} is not inside the compartment this policy is attached to`,
    );
  }
  return id;
}

async function compartmentByPath(scope: Scope, path: { value: string; column: number }[]): Promise<string> {
  let segments = path;
  const first = segments[0];
  if (scope.home && first && nameKey(first.value) === nameKey(scope.home.name)) segments = segments.slice(1);
  let current = scope.home?.id ?? scope.tenancyId;
  let currentName = scope.home ? `compartment ${scope.home.name}` : 'the tenancy';
  for (const segment of segments) {
    const child = await scope.directory.compartments.findLiveChild(current, segment.value);
    if (!child)
      throw new StatementError(segment.column, `no compartment named "${segment.value}" in ${currentName}`);
    current = child.id;
    currentName = `compartment ${child.name}`;
  }
  return current;
}

async function resolveLocation(scope: Scope, location: Location, resource: ResourceType): Promise<string> {
  const { column } = location;
  if (location.kind !== 'tenancy' && tenancyOnly.includes(resource)) {
    throw new StatementError(column, `${resource} live at tenancy level: write "in tenancy"`);
  }
  if (location.kind === 'tenancy') {
    if (scope.home)
      throw new StatementError(column, 'a policy below the tenancy cannot grant in the tenancy');
    return scope.tenancyId;
  }
  if (location.kind === 'compartment-id')
    return compartmentById(scope, location.id.value, location.id.column);
  return compartmentByPath(scope, location.path);
}

async function resolveStatement(scope: Scope, statement: string): Promise<Grant> {
  const parsed = parseStatement(statement);
  const groups: string[] = [];
  for (const group of parsed.groups) {
    const found = await scope.directory.groups.findByName(group.value);
    if (!found) throw new StatementError(group.column, `no group named "${group.value}" in this tenancy`);
    groups.push(nameKey(found.name));
  }
  const compartmentId = await resolveLocation(scope, parsed.location, parsed.resource);
  return { groups, verb: parsed.verb, resource: parsed.resource, compartmentId };
}

/** A statement of a policy that cannot be granted, with where it goes wrong: which statement, which column. */
export class StatementRefused extends DomainError {
  constructor(
    readonly index: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super('InvalidParameter', `statements[${index}], column ${column}: ${reason}`);
  }
}

/**
 * Parses and resolves a policy's statements against the tenancy as it is now. A wrong statement is
 * refused with its index and the column where it goes wrong.
 */
export async function resolveGrants(
  directory: Directory,
  tenancyId: string,
  home: Compartment | undefined,
  statements: string[],
): Promise<Grant[]> {
  if (statements.length === 0)
    throw new DomainError('InvalidParameter', 'statements: at least one is required');
  if (statements.length > MAX_STATEMENTS) {
    throw new DomainError('InvalidParameter', `statements: at most ${MAX_STATEMENTS} per policy`);
  }
  const scope: Scope = { directory, tenancyId, home };
  const grants: Grant[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      grants.push(await resolveStatement(scope, statement));
    } catch (error) {
      if (!(error instanceof StatementError)) throw error;
      throw new StatementRefused(index, error.column, error.message);
    }
  }
  return grants;
}
