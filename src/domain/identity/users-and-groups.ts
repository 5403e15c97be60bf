import { notFound } from '../errors';
import type { Caller, ResourceType, Runtime } from '../ports';
import type { Page } from '../../values/page';
import { ADMINISTRATORS_GROUP, ADMINISTRATORS_KEY, nameKey } from './names';
import { newTaggedRecord, type Tags } from './new-records';
import { assertTenancy, conflict, settle } from './outcome';
import type {
  Group,
  IdentityListOptions,
  IdentityStore,
  NamedIdentity,
  NamedRepository,
  NameFilter,
  User,
} from './ports';
import { requireGrant } from './require-grant';

type Directory = ReturnType<IdentityStore['forTenancy']>;

/** What tells users from groups: both are named uniquely in the tenancy and live at its level. */
export interface NamedKind<T extends NamedIdentity> {
  resource: Extract<ResourceType, 'users' | 'groups'>;
  ocidType: 'user' | 'group';
  /** How messages name one (`User ocid1...`). */
  label: string;
  /** The log field that carries its id, and the prefix of its events. */
  idField: 'userId' | 'groupId';
  event: 'user' | 'group';
  repository(directory: Directory): NamedRepository<T>;
  /** OCI's rule before deleting one; throws Conflict. */
  assertDeletable(directory: Directory, item: T, what: string): Promise<void>;
}

export const USERS: NamedKind<User> = {
  resource: 'users',
  ocidType: 'user',
  label: 'User',
  idField: 'userId',
  event: 'user',
  repository: (directory) => directory.users,
  // Their API keys stop working with the delete.
  async assertDeletable(directory, user, what) {
    if (await directory.memberships.exists({ userId: user.id })) {
      throw conflict(`${what} is still in a group; remove it from its groups first`);
    }
  },
};

export const GROUPS: NamedKind<Group> = {
  resource: 'groups',
  ocidType: 'group',
  label: 'Group',
  idField: 'groupId',
  event: 'group',
  repository: (directory) => directory.groups,
  async assertDeletable(directory, group, what) {
    if (nameKey(group.name) === ADMINISTRATORS_KEY) {
      throw conflict(`The ${ADMINISTRATORS_GROUP} group cannot be deleted`);
    }
    if (await directory.memberships.exists({ groupId: group.id })) {
      throw conflict(`${what} still has members; remove them first`);
    }
  },
};

export interface CreateNamedInput extends Tags {
  compartmentId: string;
  name: string;
  description: string;
}

/** A user's own fields beside the shared ones. */
export type CreateUserInput = CreateNamedInput & { email?: string };

export async function createNamed<T extends NamedIdentity>(
  kind: NamedKind<T>,
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  input: CreateNamedInput,
  own: Omit<T, keyof NamedIdentity>,
): Promise<T> {
  const { resource } = kind;
  await requireGrant(caller, 'manage', resource, caller.tenancyId, `Compartment ${input.compartmentId}`);
  assertTenancy(caller, input.compartmentId, resource);
  const result = await kind.repository(identity.forTenancy(caller.tenancyId)).insert({
    ...newTaggedRecord(rt, kind.ocidType, input),
    name: input.name,
    description: input.description,
    ...own,
  } as T);
  if (result === 'duplicate') {
    throw conflict(`A ${kind.ocidType} named ${input.name} already exists`);
  }
  rt.logger.info(`${kind.event}.created`, { [kind.idField]: result.id });
  return result;
}

export const createUser = (rt: Runtime, identity: IdentityStore, caller: Caller, input: CreateUserInput) =>
  createNamed(USERS, rt, identity, caller, input, { email: input.email ?? null });

export const createGroup = (rt: Runtime, identity: IdentityStore, caller: Caller, input: CreateNamedInput) =>
  createNamed(GROUPS, rt, identity, caller, input, {});

export async function getNamed<T extends NamedIdentity>(
  kind: NamedKind<T>,
  identity: IdentityStore,
  caller: Caller,
  id: string,
): Promise<T> {
  const what = `${kind.label} ${id}`;
  await requireGrant(caller, 'read', kind.resource, caller.tenancyId, what);
  const found = await kind.repository(identity.forTenancy(caller.tenancyId)).findById(id);
  if (!found) throw notFound(what);
  return found;
}

export async function listNamed<T extends NamedIdentity>(
  kind: NamedKind<T>,
  identity: IdentityStore,
  caller: Caller,
  compartmentId: string,
  filter: NameFilter,
  options: IdentityListOptions,
): Promise<Page<T>> {
  await requireGrant(caller, 'inspect', kind.resource, caller.tenancyId, `Compartment ${compartmentId}`);
  assertTenancy(caller, compartmentId, kind.resource);
  return kind.repository(identity.forTenancy(caller.tenancyId)).list(filter, options);
}

/** Deletes a user in no group, or an empty group other than Administrators (OCI's rules). */
export async function deleteNamed<T extends NamedIdentity>(
  kind: NamedKind<T>,
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `${kind.label} ${id}`;
  await requireGrant(caller, 'manage', kind.resource, caller.tenancyId, what);
  const repository = kind.repository(directory);
  const found = await repository.findById(id);
  if (!found) throw notFound(what);
  await kind.assertDeletable(directory, found, what);
  settle(await repository.delete(id, ifMatch), what);
  rt.logger.info(`${kind.event}.deleted`, { [kind.idField]: id });
}
