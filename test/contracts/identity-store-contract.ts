import { describe, expect, it } from 'vitest';
import type {
  ApiKey,
  Compartment,
  Grant,
  Group,
  IdentityStore,
  Policy,
  SmtpCredential,
  User,
} from '../../src/domain/identity/ports';

let serial = 0;
const next = (): string => String((serial += 1)).padStart(6, '0');
const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

/** A tenancy of its own per test, so the stores under test may keep what other tests wrote. */
async function tenancyIn(store: IdentityStore, seconds = 0): Promise<string> {
  const id = `ocid1.tenancy.oc1..aaaaaaaacontract${next()}`;
  await store.insertTenancy({ id, name: `tenancy-${id.slice(-6)}`, timeCreated: at(seconds) });
  return id;
}

const named = { description: 'd', freeformTags: {}, definedTags: {}, etag: 'e1' };

const user = (name: string, overrides: Partial<User> = {}): User => ({
  id: `ocid1.user.oc1..aaaaaaaauser${next()}`,
  name,
  email: null,
  ...named,
  timeCreated: at(serial),
  ...overrides,
});

const group = (name: string, overrides: Partial<Group> = {}): Group => ({
  id: `ocid1.group.oc1..aaaaaaaagroup${next()}`,
  name,
  ...named,
  timeCreated: at(serial),
  ...overrides,
});

const compartment = (parentId: string, name: string): Compartment => ({
  id: `ocid1.compartment.oc1..aaaaaaaacomp${next()}`,
  parentId,
  name,
  lifecycleState: 'ACTIVE',
  ...named,
  timeCreated: at(serial),
});

const grant = (compartmentId: string): Grant => ({
  groups: ['senders'],
  verb: 'use',
  resource: 'approved-senders',
  compartmentId,
});

const policy = (compartmentId: string, name: string): Policy => ({
  id: `ocid1.policy.oc1..aaaaaaaapolicy${next()}`,
  compartmentId,
  name,
  statements: ['Allow group senders to use approved-senders in tenancy'],
  grants: [grant(compartmentId)],
  versionDate: null,
  ...named,
  timeCreated: at(serial),
});

const apiKey = (userId: string): ApiKey => ({
  userId,
  fingerprint: Array.from({ length: 16 }, () => next().slice(-2)).join(':'),
  keyValue: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
  timeCreated: at(serial),
});

const smtpCredential = (userId: string): SmtpCredential => ({
  id: `ocid1.credential.oc1..aaaaaaaacred${next()}`,
  userId,
  username: `${userId}@ocid1.tenancy.oc1..x.${next()}`,
  description: 'ingress',
  passwordHash: 'pbkdf2-sha256$1$salt$hash',
  etag: 'e1',
  timeCreated: at(serial),
});

const byName = { sortBy: 'NAME', sortOrder: 'ASC', limit: 100 } as const;

/** The behaviour every IdentityStore must have, whatever database is under it. */
export function describeIdentityStoreContract(name: string, openStore: () => Promise<IdentityStore>): void {
  describe(`IdentityStore contract: ${name}`, () => {
    it('keeps tenancies, and answers the oldest as the first', async () => {
      const store = await openStore();
      const later = await tenancyIn(store, 20);
      const earlier = await tenancyIn(store, 10);
      expect(await store.findTenancy(later)).toMatchObject({ id: later, timeCreated: at(20) });
      expect(await store.findTenancy('ocid1.tenancy.oc1..aaaaaaaanone')).toBeUndefined();
      expect((await store.firstTenancy())?.timeCreated.getTime()).toBeLessThanOrEqual(at(10).getTime());
      expect(await store.findTenancy(earlier)).toBeDefined();
    });

    it('reads users and groups back unchanged, and refuses a second of the same name in any case', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const alice = user('Alice', { email: 'alice@example.com', freeformTags: { team: 'mail' } });
      expect(await directory.users.insert(alice)).toEqual(alice);
      expect(await directory.users.findById(alice.id)).toEqual(alice);
      expect(await directory.users.findByName('ALICE')).toEqual(alice);
      expect(await directory.users.insert(user('alice'))).toBe('duplicate');
      const senders = group('Senders');
      expect(await directory.groups.insert(senders)).toEqual(senders);
      expect(await directory.groups.insert(group('SENDERS'))).toBe('duplicate');
      // A user and a group may share a name.
      expect(await directory.groups.insert(group('Alice'))).not.toBe('duplicate');
    });

    it('keeps each tenancy to itself: the same names live side by side, and ids do not cross', async () => {
      const store = await openStore();
      const one = store.forTenancy(await tenancyIn(store));
      const two = store.forTenancy(await tenancyIn(store));
      const bob = user('bob');
      await one.users.insert(bob);
      expect(await two.users.insert(user('bob'))).not.toBe('duplicate');
      expect(await two.users.findById(bob.id)).toBeUndefined();
      expect(await two.users.delete(bob.id)).toBe('missing');
      expect(await one.users.findById(bob.id)).toEqual(bob);
    });

    it('lists users by name, filtered by exact name, in pages', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      for (const name of ['carol', 'alice', 'bob']) await directory.users.insert(user(name));
      const first = await directory.users.list({}, { ...byName, limit: 2 });
      expect(first.items.map((u) => u.name)).toEqual(['alice', 'bob']);
      expect(first.next).toBeDefined();
      const rest = await directory.users.list(
        {},
        { ...byName, limit: 2, ...(first.next && { position: first.next }) },
      );
      expect(rest.items.map((u) => u.name)).toEqual(['carol']);
      expect(rest.next).toBeUndefined();
      expect((await directory.users.list({ name: 'bob' }, byName)).items.map((u) => u.name)).toEqual(['bob']);
    });

    it('deletes a user only with the right etag, and its API keys and SMTP credentials with it', async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const directory = store.forTenancy(tenancyId);
      const dave = user('dave');
      await directory.users.insert(dave);
      const key = apiKey(dave.id);
      const credential = smtpCredential(dave.id);
      await directory.apiKeys.insertWithin(key, 3);
      await directory.smtpCredentials.insertWithin(credential, 2);
      expect(await directory.users.delete(dave.id, 'stale')).toBe('etag-mismatch');
      expect(await directory.apiKeys.find(dave.id, key.fingerprint)).toEqual(key);
      expect(await directory.users.delete(dave.id, dave.etag)).toBe('deleted');
      expect(await directory.users.findById(dave.id)).toBeUndefined();
      expect(await directory.apiKeys.find(dave.id, key.fingerprint)).toBeUndefined();
      expect(await store.findSmtpCredential(credential.username)).toBeUndefined();
      expect(await directory.users.delete(dave.id)).toBe('missing');
    });

    it('keeps compartments: unique live names among siblings, soft deletion, children', async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const { compartments } = store.forTenancy(tenancyId);
      const apps = compartment(tenancyId, 'Apps');
      expect(await compartments.insert(apps)).toEqual(apps);
      expect(await compartments.insert(compartment(tenancyId, 'apps'))).toBe('duplicate');
      const inner = compartment(apps.id, 'Apps');
      expect(await compartments.insert(inner)).toEqual(inner);
      expect(await compartments.findLiveChild(tenancyId, 'APPS')).toEqual(apps);
      expect(await compartments.hasLiveChildren(apps.id)).toBe(true);
      expect((await compartments.list({ parentId: tenancyId }, byName)).items.map((c) => c.id)).toEqual([
        apps.id,
      ]);
      expect((await compartments.list({}, byName)).items).toHaveLength(2);

      expect(await compartments.markDeleted(inner.id, 'e2', 'stale')).toBe('etag-mismatch');
      expect(await compartments.markDeleted(inner.id, 'e2', inner.etag)).toMatchObject({
        lifecycleState: 'DELETED',
        etag: 'e2',
      });
      expect(await compartments.hasLiveChildren(apps.id)).toBe(false);
      expect(await compartments.findById(inner.id)).toMatchObject({ lifecycleState: 'DELETED' });
      // A deleted compartment's name is free again.
      expect(await compartments.insert(compartment(apps.id, 'Apps'))).not.toBe('duplicate');
      expect(await compartments.markDeleted('ocid1.compartment.oc1..aaaaaaaanone', 'e3')).toBe('missing');
    });

    it('adds a user to a group once, and tells and lists its memberships', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const erin = user('erin');
      const admins = group('admins');
      await directory.users.insert(erin);
      await directory.groups.insert(admins);
      const membership = {
        id: `ocid1.groupmembership.oc1..m${next()}`,
        userId: erin.id,
        groupId: admins.id,
        timeCreated: at(1),
      };
      expect(await directory.memberships.insert(membership)).toEqual(membership);
      expect(await directory.memberships.insert({ ...membership, id: `${membership.id}x` })).toBe(
        'duplicate',
      );
      expect(await directory.memberships.exists({ userId: erin.id })).toBe(true);
      expect(await directory.memberships.exists({ groupId: admins.id })).toBe(true);
      const listed = await directory.memberships.list(
        { groupId: admins.id },
        { sortBy: 'TIMECREATED', sortOrder: 'ASC', limit: 10 },
      );
      expect(listed.items).toEqual([membership]);
      expect(await directory.memberships.findById(membership.id)).toEqual(membership);
      expect(await directory.memberships.delete(membership.id)).toBe(true);
      expect(await directory.memberships.delete(membership.id)).toBe(false);
      expect(await directory.memberships.exists({ userId: erin.id })).toBe(false);
    });

    it("keeps policies named once in the tenancy, updates them under the etag, and answers the tenancy's grants", async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const { policies } = store.forTenancy(tenancyId);
      const other = store.forTenancy(await tenancyIn(store));
      const apps = compartment(tenancyId, 'Apps');
      await store.forTenancy(tenancyId).compartments.insert(apps);
      const root = policy(tenancyId, 'Senders');
      expect(await policies.insert(root)).toEqual(root);
      expect(await policies.insert(policy(tenancyId, 'senders'))).toBe('duplicate');
      // Names are unique across the tenancy, as OCI's are.
      expect(await policies.insert(policy(apps.id, 'SENDERS'))).toBe('duplicate');
      const below = policy(apps.id, 'AppSenders');
      expect(await policies.insert(below)).toEqual(below);
      await other.policies.insert(policy(tenancyId, 'Elsewhere'));

      expect(await policies.existsIn(apps.id)).toBe(true);
      expect((await policies.list({ compartmentId: apps.id }, byName)).items).toEqual([below]);
      expect((await policies.grants()).map((g) => g.compartmentId).sort()).toEqual(
        [apps.id, tenancyId].sort(),
      );

      const changes = { description: 'new', etag: 'e2' };
      expect(await policies.update(root.id, changes, 'stale')).toBe('etag-mismatch');
      expect(await policies.update(root.id, changes, root.etag)).toMatchObject({
        description: 'new',
        etag: 'e2',
      });
      expect(await policies.delete(below.id, 'stale')).toBe('etag-mismatch');
      expect(await policies.delete(below.id)).toBe('deleted');
      expect(await policies.existsIn(apps.id)).toBe(false);
      expect(await policies.update(below.id, changes)).toBe('missing');
    });

    it('holds at most `limit` API keys per user, each key once', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const frank = user('frank');
      await directory.users.insert(frank);
      const keys = [apiKey(frank.id), apiKey(frank.id)];
      for (const key of keys) expect(await directory.apiKeys.insertWithin(key, 2)).toEqual(key);
      expect(await directory.apiKeys.insertWithin(keys[0]!, 3)).toBe('duplicate');
      expect(await directory.apiKeys.insertWithin(apiKey(frank.id), 2)).toBe('limit');
      expect(await directory.apiKeys.list(frank.id)).toHaveLength(2);
      // Racing uploads cannot pass the limit together.
      const raced = await Promise.all(
        [apiKey(frank.id), apiKey(frank.id)].map((key) => directory.apiKeys.insertWithin(key, 3)),
      );
      expect(raced.filter((result) => result === 'limit')).toHaveLength(1);
      expect(await directory.apiKeys.delete(frank.id, keys[0]!.fingerprint)).toBe(true);
      expect(await directory.apiKeys.delete(frank.id, keys[0]!.fingerprint)).toBe(false);
    });

    it('finds an SMTP credential by its username across tenancies, and keeps each user to `limit`', async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const directory = store.forTenancy(tenancyId);
      const grace = user('grace');
      await directory.users.insert(grace);
      const credential = smtpCredential(grace.id);
      expect(await directory.smtpCredentials.insertWithin(credential, 1)).toEqual(credential);
      expect(await directory.smtpCredentials.insertWithin(smtpCredential(grace.id), 1)).toBe('limit');
      expect(await store.findSmtpCredential(credential.username)).toEqual({ tenancyId, credential });
      expect(await store.findSmtpCredential('nobody@example')).toBeUndefined();

      const changes = { description: 'renamed', etag: 'e2' };
      expect(await directory.smtpCredentials.update(grace.id, credential.id, changes, 'stale')).toBe(
        'etag-mismatch',
      );
      expect(await directory.smtpCredentials.update(grace.id, credential.id, changes)).toMatchObject(changes);
      expect(await directory.smtpCredentials.list(grace.id)).toEqual([{ ...credential, ...changes }]);
      expect(await directory.smtpCredentials.delete(grace.id, credential.id, 'e2')).toBe('deleted');
      expect(await directory.smtpCredentials.delete(grace.id, credential.id)).toBe('missing');
    });
  });
}
