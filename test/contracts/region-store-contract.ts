import { describe, expect, it } from 'vitest';
import type { RegionStore, Sender, Suppression } from '../../src/domain/ports';
import { acceptance } from '../support/acceptance';

const T1 = 'ocid1.tenancy.oc1..aaaaaaaacontractone';
const T2 = 'ocid1.tenancy.oc1..aaaaaaaacontracttwo';
const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaacontract';

let serial = 0;
function sender(overrides: Partial<Sender> = {}): Sender {
  serial += 1;
  return {
    id: `ocid1.emailsender.oc1.test.s${String(serial).padStart(6, '0')}`,
    compartmentId: COMPARTMENT,
    emailAddress: `user${serial}@example.com`,
    lifecycleState: 'ACTIVE',
    isSpf: false,
    emailIpPoolId: null,
    locks: [],
    freeformTags: {},
    definedTags: {},
    etag: `etag${serial}`,
    timeCreated: new Date(Date.UTC(2026, 0, 1, 0, 0, serial)),
    ...overrides,
  };
}

function suppression(overrides: Partial<Suppression> = {}): Suppression {
  serial += 1;
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, serial));
  return {
    id: `ocid1.emailsuppression.oc1.test.p${String(serial).padStart(6, '0')}`,
    emailAddress: `rcpt${serial}@example.com`,
    reason: 'MANUAL',
    errorDetail: null,
    errorSource: null,
    messageId: null,
    timeCreated: time,
    timeLastSuppressed: time,
    ...overrides,
  };
}

const byTime = { sortBy: 'TIMECREATED', sortOrder: 'ASC', limit: 100 } as const;

/** The behaviour every RegionStore must have, whatever database is under it. */
export function describeRegionStoreContract(name: string, openStore: () => Promise<RegionStore>): void {
  describe(`RegionStore contract: ${name}`, () => {
    it('inserts and reads a sender back unchanged', async () => {
      const senders = (await openStore()).forTenancy(T1).senders;
      const s = sender({ freeformTags: { team: 'mail' }, definedTags: { ops: { cost: 42 } } });
      expect(await senders.insert(s)).toEqual(s);
      expect(await senders.findById(s.id)).toEqual(s);
    });

    it('refuses a second live sender with the same address in any case, but not in another tenancy', async () => {
      const store = await openStore();
      await store.forTenancy(T1).senders.insert(sender({ emailAddress: 'Same@Example.com' }));
      expect(await store.forTenancy(T1).senders.insert(sender({ emailAddress: 'same@example.COM' }))).toBe(
        'duplicate',
      );
      expect(
        await store.forTenancy(T2).senders.insert(sender({ emailAddress: 'same@example.com' })),
      ).not.toBe('duplicate');
    });

    it('lets an address be approved again once its sender is deleted', async () => {
      const senders = (await openStore()).forTenancy(T1).senders;
      const first = sender({ emailAddress: 'again@example.com' });
      await senders.insert(first);
      await senders.update(first.id, {
        lifecycleState: 'DELETED',
        etag: 'gone',
        timeUpdated: new Date(),
        timeDeleted: new Date(),
      });
      expect(await senders.insert(sender({ emailAddress: 'again@example.com' }))).not.toBe('duplicate');
    });

    it('never shows one tenancy the senders or suppressions of another', async () => {
      const store = await openStore();
      const s = sender();
      const p = suppression();
      await store.forTenancy(T1).senders.insert(s);
      await store.forTenancy(T1).suppressions.insertIfAbsent(p);
      const other = store.forTenancy(T2);
      expect(await other.senders.findById(s.id)).toBeUndefined();
      expect(await other.suppressions.findById(p.id)).toBeUndefined();
      expect((await other.senders.list({ compartmentId: COMPARTMENT }, byTime)).items).toEqual([]);
      expect((await other.suppressions.list({}, byTime)).items).toEqual([]);
      expect(await other.suppressions.delete(p.id)).toBe(false);
      expect(await other.senders.update(s.id, { etag: 'x', timeUpdated: new Date() })).toBe('missing');
    });

    it('updates only when the etag matches', async () => {
      const senders = (await openStore()).forTenancy(T1).senders;
      const s = sender();
      await senders.insert(s);
      expect(
        await senders.update(
          s.id,
          { freeformTags: { a: 'b' }, etag: 'new', timeUpdated: new Date() },
          'stale',
        ),
      ).toBe('etag-mismatch');
      const updated = await senders.update(
        s.id,
        { freeformTags: { a: 'b' }, etag: 'new', timeUpdated: new Date() },
        s.etag,
      );
      expect(updated).toMatchObject({ freeformTags: { a: 'b' }, etag: 'new' });
    });

    it("stores a sender's locks and gives them back with their times", async () => {
      const senders = (await openStore()).forTenancy(T1).senders;
      const s = sender();
      await senders.insert(s);
      const locks = [
        {
          type: 'FULL' as const,
          compartmentId: COMPARTMENT,
          message: 'keep',
          timeCreated: new Date(Date.UTC(2026, 1, 2)),
        },
        {
          type: 'DELETE' as const,
          compartmentId: T1,
          relatedResourceId: 'ocid1.x.oc1..y',
          timeCreated: new Date(Date.UTC(2026, 1, 3)),
        },
      ];
      await senders.update(s.id, { locks, etag: 'locked', timeUpdated: new Date() }, s.etag);
      expect((await senders.findById(s.id))?.locks).toEqual(locks);
      await senders.update(s.id, { locks: [], etag: 'unlocked', timeUpdated: new Date() }, 'locked');
      expect((await senders.findById(s.id))?.locks).toEqual([]);
    });

    it('pages senders by time and by address without skips or repeats', async () => {
      const senders = (await openStore()).forTenancy(T1).senders;
      const inserted: Sender[] = [];
      for (let i = 0; i < 25; i++) {
        const s = sender({ timeCreated: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 5)) });
        inserted.push(s);
        await senders.insert(s);
      }
      for (const sortBy of ['TIMECREATED', 'EMAILADDRESS'] as const) {
        for (const sortOrder of ['ASC', 'DESC'] as const) {
          const seen: string[] = [];
          let position;
          do {
            const page = await senders.list(
              { compartmentId: COMPARTMENT },
              { sortBy, sortOrder, limit: 7, ...(position ? { position } : {}) },
            );
            seen.push(...page.items.map((item) => item.id));
            position = page.next;
          } while (position);
          expect(new Set(seen).size).toBe(25);
          expect(seen).toHaveLength(25);
        }
      }
      expect(await senders.count({ compartmentId: COMPARTMENT })).toBe(25);
    });

    it('filters senders by state, domain and address', async () => {
      const senders = (await openStore()).forTenancy(T1).senders;
      await senders.insert(sender({ emailAddress: 'a@one.example' }));
      await senders.insert(sender({ emailAddress: 'b@two.example' }));
      const list = (filter: object) =>
        senders
          .list({ compartmentId: COMPARTMENT, ...filter }, byTime)
          .then((p) => p.items.map((s) => s.emailAddress));
      expect(await list({ domain: 'TWO.example' })).toEqual(['b@two.example']);
      expect(await list({ emailAddress: 'A@one.example' })).toEqual(['a@one.example']);
      expect(await list({ lifecycleState: 'DELETED' })).toEqual([]);
    });

    it('keeps one suppression per address and deletes it', async () => {
      const suppressions = (await openStore()).forTenancy(T1).suppressions;
      const first = await suppressions.insertIfAbsent(suppression({ emailAddress: 'x@example.com' }));
      const again = await suppressions.insertIfAbsent(
        suppression({ emailAddress: 'x@example.com', reason: 'HARDBOUNCE' }),
      );
      expect(again).toEqual(first);
      expect(await suppressions.delete(first.id)).toBe(true);
      expect(await suppressions.findById(first.id)).toBeUndefined();
    });

    it('filters suppressions by creation time window', async () => {
      const suppressions = (await openStore()).forTenancy(T1).suppressions;
      const early = await suppressions.insertIfAbsent(
        suppression({ timeCreated: new Date('2026-01-01T00:00:00Z') }),
      );
      const late = await suppressions.insertIfAbsent(
        suppression({ timeCreated: new Date('2026-03-01T00:00:00Z') }),
      );
      const page = await suppressions.list(
        { timeCreatedGreaterThanOrEqualTo: new Date('2026-02-01T00:00:00Z') },
        byTime,
      );
      expect(page.items.map((s) => s.id)).toEqual([late.id]);
      const before = await suppressions.list(
        { timeCreatedLessThan: new Date('2026-02-01T00:00:00Z') },
        byTime,
      );
      expect(before.items.map((s) => s.id)).toEqual([early.id]);
    });

    it('purges only senders deleted before the cut-off, at most the batch size', async () => {
      const store = await openStore();
      const senders = store.forTenancy(T1).senders;
      const old = [sender(), sender(), sender()];
      const recent = sender();
      for (const s of [...old, recent]) await senders.insert(s);
      for (const s of old) {
        await senders.update(s.id, {
          lifecycleState: 'DELETED',
          etag: 'd',
          timeUpdated: new Date(0),
          timeDeleted: new Date('2026-01-01T00:00:00Z'),
        });
      }
      await senders.update(recent.id, {
        lifecycleState: 'DELETED',
        etag: 'd',
        timeUpdated: new Date(0),
        timeDeleted: new Date('2026-06-01T00:00:00Z'),
      });
      const cutoff = new Date('2026-03-01T00:00:00Z');
      expect(await store.purgeDeletedSenders(cutoff, 2)).toBe(2);
      expect(await store.purgeDeletedSenders(cutoff, 2)).toBe(1);
      expect(await store.purgeDeletedSenders(cutoff, 2)).toBe(0);
      expect(await senders.findById(recent.id)).toMatchObject({ lifecycleState: 'DELETED' });
    });

    it('purges old submissions whose recipients are all final, with their rows, oldest first', async () => {
      const store = await openStore();
      const old = new Date('2026-01-01T00:00:00Z');
      const recent = new Date('2026-06-01T00:00:00Z');
      const done = (tenancy: string, now: Date) =>
        acceptance(['a@x.test', 'b@x.test'], { compartmentId: tenancy, now, state: 'DELIVERED' });
      const oldMine = done(T1, old);
      const oldTheirs = done(T2, new Date(old.getTime() + 1_000));
      const oldPending = acceptance(['c@x.test'], { compartmentId: T1, now: old });
      const recentMine = done(T1, recent);
      for (const [tenancy, item] of [
        [T1, oldMine],
        [T2, oldTheirs],
        [T1, oldPending],
        [T1, recentMine],
      ] as const) {
        expect(await store.forTenancy(tenancy).submissions.accept(item, item.submission.timeCreated)).toBe(
          'accepted',
        );
      }
      const cutoff = new Date('2026-03-01T00:00:00Z');
      expect(await store.purgeSubmissions(cutoff, 1)).toBe(1);
      expect(
        await store.forTenancy(T1).submissions.findExisting(undefined, oldMine.submission.messageId),
      ).toEqual([]);
      expect(await store.forTenancy(T1).submissions.deliveriesOf(oldMine.submission.id, 10)).toEqual([]);
      expect(await store.purgeSubmissions(cutoff, 1)).toBe(1);
      expect(await store.purgeSubmissions(cutoff, 1)).toBe(0);
      const kept = async (tenancy: string, item: typeof oldMine) =>
        (await store.forTenancy(tenancy).submissions.deliveriesOf(item.submission.id, 10)).length;
      expect(await kept(T1, oldPending)).toBe(1);
      expect(await kept(T1, recentMine)).toBe(2);
      expect(await kept(T2, oldTheirs)).toBe(0);
    });

    it('purges the quota windows that started before the cut-off', async () => {
      const store = await openStore();
      const old = new Date('2026-01-01T00:00:00Z');
      const recent = new Date('2026-06-01T00:00:00Z');
      for (const now of [old, recent]) {
        await store
          .forTenancy(T1)
          .submissions.accept(acceptance(['a@x.test'], { compartmentId: T1, now }), now);
      }
      const windows = [old, recent].map((t) => ({ window: 'minute' as const, windowStart: t.getTime() }));
      expect(await store.forTenancy(T1).submissions.quotaUsed(windows)).toEqual([1, 1]);
      expect(await store.purgeQuotaWindows(new Date('2026-03-01T00:00:00Z'))).toBe(1);
      expect(await store.forTenancy(T1).submissions.quotaUsed(windows)).toEqual([0, 1]);
    });
  });
}
