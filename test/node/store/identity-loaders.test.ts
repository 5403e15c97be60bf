import { describe, expect, it } from 'vitest';
import type { IdentityStore } from '../../../src/domain/identity/ports';
import { NODE_COALESCING } from '../../../src/platform/libsql';
import { createIdentityStore } from '../../../src/store/identity/identity-store';
import { memoryLibsql } from '../../support/memory-libsql';

const T1 = 'ocid1.tenancy.oc1..aaaaaaaaloaderone';
const T2 = 'ocid1.tenancy.oc1..aaaaaaaaloadertwo';
const NOW = new Date(Date.UTC(2026, 10, 28));
const FINGERPRINT = '11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00';

const openMemory = memoryLibsql();

const tags = { freeformTags: {}, definedTags: {} };

async function seed(identity: IdentityStore, tenancyId: string, user: string, group: string) {
  const directory = identity.forTenancy(tenancyId);
  const userId = `ocid1.user.oc1..${user}`;
  const groupId = `ocid1.group.oc1..${group}`;
  await identity.insertTenancy({ id: tenancyId, name: tenancyId.slice(-3), timeCreated: NOW });
  await directory.users.insert({
    id: userId,
    name: user,
    description: '',
    email: null,
    etag: 'e',
    timeCreated: NOW,
    ...tags,
  });
  await directory.groups.insert({
    id: groupId,
    name: group,
    description: '',
    etag: 'e',
    timeCreated: NOW,
    ...tags,
  });
  await directory.memberships.insert({
    id: `ocid1.groupmembership.oc1..${user}`,
    userId,
    groupId,
    timeCreated: NOW,
  });
  await directory.apiKeys.insertWithin(
    { userId, fingerprint: FINGERPRINT, keyValue: `key of ${user}`, timeCreated: NOW },
    3,
  );
  await directory.policies.insert({
    id: `ocid1.policy.oc1..${group}`,
    compartmentId: tenancyId,
    name: `${group}-policy`,
    description: '',
    statements: [`Allow group ${group} to use approved-senders in tenancy`],
    grants: [{ groups: [group], verb: 'use', resource: 'approved-senders', compartmentId: tenancyId }],
    versionDate: null,
    etag: 'e',
    timeCreated: NOW,
    ...tags,
  });
  return userId;
}

describe('identity reads shared by the requests of one turn (libSQL, Node coalescing)', () => {
  it('answers each tenancy, user and key with its own records', async () => {
    const database = await openMemory();
    const identity = createIdentityStore(database.db, NODE_COALESCING);
    const alice = await seed(identity, T1, 'alice', 'senders');
    const bob = await seed(identity, T2, 'bob', 'mailers');

    const [aliceKey, bobKey, crossed, aliceGroups, bobGroups, t1Grants, t2Grants] = await Promise.all([
      identity.forTenancy(T1).apiKeys.find(alice, FINGERPRINT),
      identity.forTenancy(T2).apiKeys.find(bob, FINGERPRINT),
      identity.forTenancy(T2).apiKeys.find(alice, FINGERPRINT),
      identity.forTenancy(T1).memberships.groupNamesOf(alice),
      identity.forTenancy(T2).memberships.groupNamesOf(bob),
      identity.forTenancy(T1).policies.grants(),
      identity.forTenancy(T2).policies.grants(),
    ]);
    expect(aliceKey?.keyValue).toBe('key of alice');
    expect(bobKey?.keyValue).toBe('key of bob');
    expect(crossed).toBeUndefined();
    expect(aliceGroups).toEqual(['senders']);
    expect(bobGroups).toEqual(['mailers']);
    expect(t1Grants.map((g) => g.groups)).toEqual([['senders']]);
    expect(t2Grants.map((g) => g.groups)).toEqual([['mailers']]);
  });

  it('reads after every change: a key deleted or a membership removed is gone for the next request', async () => {
    const database = await openMemory();
    const identity = createIdentityStore(database.db, NODE_COALESCING);
    const alice = await seed(identity, T1, 'alice', 'senders');
    const directory = identity.forTenancy(T1);
    await directory.memberships.delete('ocid1.groupmembership.oc1..alice');
    await directory.apiKeys.delete(alice, FINGERPRINT);
    const [key, groups] = await Promise.all([
      directory.apiKeys.find(alice, FINGERPRINT),
      directory.memberships.groupNamesOf(alice),
    ]);
    expect(key).toBeUndefined();
    expect(groups).toEqual([]);
  });
});
