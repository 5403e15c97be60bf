import { describe, expect, it } from 'vitest';
import type {
  ApiKey,
  Compartment,
  Grant,
  Group,
  IdentityStore,
  Membership,
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

const membership = (userId: string, groupId: string): Membership => ({
  id: `ocid1.groupmembership.oc1..aaaaaaaam${next()}`,
  userId,
  groupId,
  timeCreated: at(serial),
});

const byName = { sortBy: 'NAME', sortOrder: 'ASC', limit: 100 } as const;
const byTime = { sortBy: 'TIMECREATED', sortOrder: 'ASC', limit: 100 } as const;
const ids = (page: { items: { id: string }[] }): string[] => page.items.map((item) => item.id);

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

    it('answers the oldest tenancy as the first, and keeps a tenancy inserted twice as it was', async () => {
      const store = await openStore();
      const oldest = await tenancyIn(store, -86_400); // before any other test's tenancy
      await tenancyIn(store, -3_600);
      expect((await store.firstTenancy())?.id).toBe(oldest);
      await store.insertTenancy({ id: oldest, name: 'renamed', timeCreated: at(30) });
      expect(await store.findTenancy(oldest)).toEqual({
        id: oldest,
        name: `tenancy-${oldest.slice(-6)}`,
        timeCreated: at(-86_400),
      });
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

    it('finds a group by id or by name in any case, and deletes it only with the right etag', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const other = store.forTenancy(await tenancyIn(store));
      const ops = group('Ops', { definedTags: { cost: { centre: 42 } } });
      await directory.groups.insert(ops);
      expect(await directory.groups.findById(ops.id)).toEqual(ops);
      expect(await directory.groups.findByName('oPS')).toEqual(ops);
      expect(await directory.groups.findByName('Opss')).toBeUndefined();
      expect(await other.groups.findById(ops.id)).toBeUndefined();
      expect(await other.groups.findByName('Ops')).toBeUndefined();
      expect(await other.groups.delete(ops.id)).toBe('missing');

      expect(await directory.groups.delete(ops.id, 'stale')).toBe('etag-mismatch');
      expect(await directory.groups.findById(ops.id)).toEqual(ops);
      expect(await directory.groups.delete(ops.id, ops.etag)).toBe('deleted');
      expect(await directory.groups.findById(ops.id)).toBeUndefined();
      expect(await directory.groups.delete(ops.id)).toBe('missing');
      // Its name is free again.
      expect(await directory.groups.insert(group('ops'))).not.toBe('duplicate');
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

    it('lists users and groups by creation time in either order, in pages', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const users = [user('zed'), user('amy'), user('kim')];
      const groups = [group('Zeta'), group('Alpha')];
      for (const u of users) await directory.users.insert(u);
      for (const g of groups) await directory.groups.insert(g);
      expect(ids(await directory.users.list({}, byTime))).toEqual(users.map((u) => u.id));
      const newest = await directory.users.list({}, { ...byTime, sortOrder: 'DESC', limit: 2 });
      expect(ids(newest)).toEqual([users[2]!.id, users[1]!.id]);
      const oldest = await directory.users.list(
        {},
        { ...byTime, sortOrder: 'DESC', limit: 2, ...(newest.next && { position: newest.next }) },
      );
      expect(ids(oldest)).toEqual([users[0]!.id]);
      expect(oldest.next).toBeUndefined();
      const [zeta, alpha] = groups.map((g) => g.id);
      expect(ids(await directory.groups.list({}, { ...byTime, sortOrder: 'DESC' }))).toEqual([alpha, zeta]);
      expect(ids(await directory.groups.list({}, byTime))).toEqual([zeta, alpha]);
      expect(ids(await directory.groups.list({ name: 'Alpha' }, byTime))).toEqual([alpha]);
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

    it('lists compartments by name and state, and finds only live children', async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const { compartments } = store.forTenancy(tenancyId);
      const other = store.forTenancy(await tenancyIn(store));
      const [live, gone] = [compartment(tenancyId, 'Live'), compartment(tenancyId, 'Gone')];
      await compartments.insert(live);
      await compartments.insert(gone);
      await compartments.markDeleted(gone.id, 'e2', gone.etag);
      expect(ids(await compartments.list({ parentId: tenancyId }, byName))).toEqual([live.id]);
      expect(ids(await compartments.list({ lifecycleState: 'DELETED' }, byName))).toEqual([gone.id]);
      expect(ids(await compartments.list({ lifecycleState: 'ACTIVE' }, byName))).toEqual([live.id]);
      expect(ids(await compartments.list({ name: 'Live' }, byName))).toEqual([live.id]);
      expect(ids(await compartments.list({ name: 'Gone' }, byName))).toEqual([]);
      expect(await compartments.findLiveChild(tenancyId, 'Gone')).toBeUndefined();
      // Deleting twice finds nothing live to delete.
      expect(await compartments.markDeleted(gone.id, 'e3')).toBe('missing');
      expect(await compartments.findById(gone.id)).toMatchObject({ etag: 'e2' });
      expect(await other.compartments.findById(live.id)).toBeUndefined();
      expect(await other.compartments.markDeleted(live.id, 'e2')).toBe('missing');
      expect(ids(await other.compartments.list({}, byName))).toEqual([]);
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

    it("answers the name keys of a user's groups, in its own tenancy only, also for several users at once", async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const directory = store.forTenancy(tenancyId);
      const other = store.forTenancy(await tenancyIn(store));
      const [ivan, judy] = [user('ivan'), user('judy')];
      const [senders, admins] = [group('Senders'), group('Administrators')];
      for (const u of [ivan, judy]) await directory.users.insert(u);
      for (const g of [senders, admins]) await directory.groups.insert(g);
      const toSenders = membership(ivan.id, senders.id);
      await directory.memberships.insert(toSenders);
      await directory.memberships.insert(membership(ivan.id, admins.id));

      const [ivans, judys] = await Promise.all([
        directory.memberships.groupNamesOf(ivan.id),
        directory.memberships.groupNamesOf(judy.id),
      ]);
      expect(ivans.sort()).toEqual(['administrators', 'senders']);
      expect(judys).toEqual([]);
      expect(await other.memberships.groupNamesOf(ivan.id)).toEqual([]);
      expect(await other.memberships.findById(toSenders.id)).toBeUndefined();
      expect(await other.memberships.delete(toSenders.id)).toBe(false);

      await directory.memberships.delete(toSenders.id);
      expect(await directory.memberships.groupNamesOf(ivan.id)).toEqual(['administrators']);
    });

    it('lists memberships oldest first, by user, by group or both, in pages', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const [kate, leo] = [user('kate'), user('leo')];
      const [one, two] = [group('one'), group('two')];
      for (const u of [kate, leo]) await directory.users.insert(u);
      for (const g of [one, two]) await directory.groups.insert(g);
      const all = [membership(kate.id, one.id), membership(leo.id, one.id), membership(kate.id, two.id)];
      for (const m of all) await directory.memberships.insert(m);
      const oldestFirst = { sortBy: 'TIMECREATED', sortOrder: 'ASC', limit: 2 } as const;
      const first = await directory.memberships.list({}, oldestFirst);
      expect(first.items).toEqual(all.slice(0, 2));
      const rest = await directory.memberships.list(
        {},
        { ...oldestFirst, ...(first.next && { position: first.next }) },
      );
      expect(rest.items).toEqual(all.slice(2));
      expect(rest.next).toBeUndefined();
      expect((await directory.memberships.list({ userId: kate.id }, byTime)).items).toEqual([all[0], all[2]]);
      expect((await directory.memberships.list({ groupId: one.id }, byTime)).items).toEqual(all.slice(0, 2));
      expect((await directory.memberships.list({ userId: leo.id, groupId: two.id }, byTime)).items).toEqual(
        [],
      );
      expect(await directory.memberships.exists({ userId: leo.id, groupId: one.id })).toBe(true);
      expect(await directory.memberships.exists({ userId: leo.id, groupId: two.id })).toBe(false);
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

    it('reads a policy back unchanged, lists by compartment and name, and replaces its grants on update', async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const { compartments, policies } = store.forTenancy(tenancyId);
      const other = store.forTenancy(await tenancyIn(store));
      const apps = compartment(tenancyId, 'Apps');
      await compartments.insert(apps);
      const dated = { ...policy(apps.id, 'Dated'), versionDate: at(5), freeformTags: { team: 'mail' } };
      const plain = policy(apps.id, 'Plain');
      await policies.insert(dated);
      await policies.insert(plain);
      expect(await policies.findById(dated.id)).toEqual(dated);
      expect(await other.policies.findById(dated.id)).toBeUndefined();
      expect((await policies.list({ compartmentId: apps.id, name: 'Plain' }, byName)).items).toEqual([plain]);
      expect((await policies.list({ compartmentId: tenancyId }, byName)).items).toEqual([]);
      expect(await policies.existsIn(tenancyId)).toBe(false);

      const manage: Grant = {
        groups: ['ops'],
        verb: 'manage',
        resource: 'suppressions',
        compartmentId: apps.id,
      };
      const statements = ['Allow group ops to manage suppressions in compartment Apps'];
      const updated = await policies.update(
        dated.id,
        { statements, grants: [manage], versionDate: null, etag: 'e2' },
        dated.etag,
      );
      expect(updated).toEqual({ ...dated, statements, grants: [manage], versionDate: null, etag: 'e2' });
      expect(await policies.findById(dated.id)).toEqual(updated);
      expect(await policies.grants()).toEqual(expect.arrayContaining([manage, grant(apps.id)]));
      expect(await policies.grants()).toHaveLength(2);
      // The etag it was read under no longer matches.
      expect(await policies.update(dated.id, { description: 'x', etag: 'e3' }, dated.etag)).toBe(
        'etag-mismatch',
      );
      expect(await policies.delete(dated.id, dated.etag)).toBe('etag-mismatch');
      expect(await policies.delete(dated.id, 'e2')).toBe('deleted');
      expect(await other.policies.delete(plain.id)).toBe('missing');
      expect(await other.policies.update(plain.id, { etag: 'e2' })).toBe('missing');
    });

    it('answers the grants of each tenancy apart, also for several at once', async () => {
      const store = await openStore();
      const [one, two, none] = [await tenancyIn(store), await tenancyIn(store), await tenancyIn(store)];
      await store.forTenancy(one).policies.insert(policy(one, 'One'));
      await store.forTenancy(two).policies.insert(policy(two, 'Two'));
      const [ones, twos, nones] = await Promise.all(
        [one, two, none].map((tenancyId) => store.forTenancy(tenancyId).policies.grants()),
      );
      expect(ones).toEqual([grant(one)]);
      expect(twos).toEqual([grant(two)]);
      expect(nones).toEqual([]);
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

    it('finds an API key only by its own tenancy, user and fingerprint, also for several at once', async () => {
      const store = await openStore();
      const tenancyId = await tenancyIn(store);
      const directory = store.forTenancy(tenancyId);
      const other = store.forTenancy(await tenancyIn(store));
      const [mia, ned] = [user('mia'), user('ned')];
      for (const u of [mia, ned]) await directory.users.insert(u);
      const [first, second] = [apiKey(mia.id), apiKey(mia.id)];
      await directory.apiKeys.insertWithin(first, 3);
      await directory.apiKeys.insertWithin(second, 3);
      const found = await Promise.all([
        directory.apiKeys.find(mia.id, first.fingerprint),
        directory.apiKeys.find(mia.id, second.fingerprint),
        directory.apiKeys.find(ned.id, first.fingerprint),
        other.apiKeys.find(mia.id, first.fingerprint),
      ]);
      expect(found).toEqual([first, second, undefined, undefined]);
      expect(await directory.apiKeys.list(mia.id)).toEqual([first, second]);
      expect(await directory.apiKeys.list(ned.id)).toEqual([]);
      expect(await other.apiKeys.delete(mia.id, first.fingerprint)).toBe(false);
      expect(await directory.apiKeys.delete(ned.id, first.fingerprint)).toBe(false);
      // A deleted key is not found by the next request.
      expect(await directory.apiKeys.delete(mia.id, first.fingerprint)).toBe(true);
      expect(await directory.apiKeys.find(mia.id, first.fingerprint)).toBeUndefined();
      expect(await directory.apiKeys.find(mia.id, second.fingerprint)).toEqual(second);
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

    it('keeps racing SMTP credential creates within `limit`', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const olga = user('olga');
      await directory.users.insert(olga);
      const raced = await Promise.all(
        [1, 2, 3].map(() => directory.smtpCredentials.insertWithin(smtpCredential(olga.id), 2)),
      );
      expect(raced.filter((result) => result === 'limit')).toHaveLength(1);
      expect(await directory.smtpCredentials.list(olga.id)).toHaveLength(2);
    });

    it('reaches an SMTP credential only through its own user and tenancy', async () => {
      const store = await openStore();
      const directory = store.forTenancy(await tenancyIn(store));
      const other = store.forTenancy(await tenancyIn(store));
      const [pat, quin] = [user('pat'), user('quin')];
      for (const u of [pat, quin]) await directory.users.insert(u);
      const credential = smtpCredential(pat.id);
      await directory.smtpCredentials.insertWithin(credential, 2);
      const changes = { description: 'taken', etag: 'e2' };
      expect(await directory.smtpCredentials.list(quin.id)).toEqual([]);
      expect(await directory.smtpCredentials.update(quin.id, credential.id, changes)).toBe('missing');
      expect(await directory.smtpCredentials.delete(quin.id, credential.id)).toBe('missing');
      expect(await other.smtpCredentials.list(pat.id)).toEqual([]);
      expect(await other.smtpCredentials.update(pat.id, credential.id, changes)).toBe('missing');
      expect(await other.smtpCredentials.delete(pat.id, credential.id)).toBe('missing');
      expect(await directory.smtpCredentials.list(pat.id)).toEqual([credential]);
    });
  });
}
