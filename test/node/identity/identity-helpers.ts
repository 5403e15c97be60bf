import { expect } from 'vitest';
import { json } from '../../support/api';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import type { Principal } from '../../../src/crypto/request-signature';
import { TENANCY, type World } from '../../support/world';

export const IDENTITY = '/20160918';

/** POSTs to the identity API as the administrator and returns the created resource. */
export async function adminCreates<T extends { id: string }>(
  world: World,
  path: string,
  body: unknown,
): Promise<T> {
  const response = await world.request('POST', `${IDENTITY}${path}`, body);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<T>(response);
}

export const newGroup = (world: World, name: string) =>
  adminCreates<{ id: string; name: string }>(world, '/groups', {
    compartmentId: TENANCY,
    name,
    description: name,
  });

export const newCompartment = (world: World, parentId: string, name: string) =>
  adminCreates<{ id: string }>(world, '/compartments', { compartmentId: parentId, name, description: name });

export const newPolicy = (world: World, compartmentId: string, name: string, statements: string[]) =>
  adminCreates<{ id: string }>(world, '/policies', { compartmentId, name, description: name, statements });

export const addToGroup = (world: World, userId: string, groupId: string) =>
  adminCreates<{ id: string }>(world, '/userGroupMemberships', { userId, groupId });

/** A user with a fresh API key, in the given groups; the principal signs as that user. */
export async function newUser(world: World, name: string, groupIds: string[] = []): Promise<Principal> {
  const user = await adminCreates<{ id: string }>(world, '/users', {
    compartmentId: TENANCY,
    name,
    description: name,
  });
  const keys = await generateKeyPair();
  const upload = await world.request('POST', `${IDENTITY}/users/${user.id}/apiKeys`, {
    key: keys.publicKeyPem,
  });
  expect(upload.status).toBe(200);
  for (const groupId of groupIds) await addToGroup(world, user.id, groupId);
  return { tenancyId: TENANCY, userId: user.id, fingerprint: keys.fingerprint, privateKey: keys.privateKey };
}
