import { describe, expect, it } from 'vitest';
import type { Acceptance } from '../../../src/domain/submission/ports';
import { NODE_COALESCING } from '../../../src/platform/libsql';
import { createRegionStore } from '../../../src/store/region/region-store';
import { acceptance as build, type AcceptanceOptions } from '../../support/acceptance';
import { memoryLibsql } from '../../support/memory-libsql';

const T1 = 'ocid1.tenancy.oc1..aaaaaaaagroupone';
const T2 = 'ocid1.tenancy.oc1..aaaaaaaagrouptwo';
const NOW = new Date(Date.UTC(2026, 10, 28, 12, 0, 0));
const MINUTE = NOW.getTime() - (NOW.getTime() % 60_000);

const openMemory = memoryLibsql();

async function coalescedStore() {
  const database = await openMemory();
  const count = async (table: string, where = '1 = 1') =>
    Number((await database.client.execute(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0]?.n);
  return { store: createRegionStore(database, { coalescing: NODE_COALESCING }), count };
}

const acceptance = (
  recipients: string[],
  options: Omit<AcceptanceOptions, 'compartmentId' | 'now'> = {},
): Acceptance => build(recipients, { compartmentId: T1, now: NOW, ...options });

describe('group commit of concurrent acceptances (libSQL, Node coalescing)', () => {
  it('writes every acceptance of one turn, each with its message, recipients and quota', async () => {
    const { store, count } = await coalescedStore();
    const outcomes = await Promise.all([
      store.forTenancy(T1).submissions.accept(acceptance(['a@x.test', 'b@x.test']), NOW),
      store.forTenancy(T1).submissions.accept(acceptance(['c@x.test']), NOW),
      store.forTenancy(T2).submissions.accept(acceptance(['d@x.test']), NOW),
    ]);
    expect(outcomes).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await count('submissions')).toBe(3);
    expect(await count('submission_parts')).toBe(3);
    expect(await count('deliveries', `tenancy_id = '${T1}'`)).toBe(3);
    expect(await count('deliveries', `tenancy_id = '${T2}'`)).toBe(1);
    expect(
      await store.forTenancy(T1).submissions.quotaUsed([{ window: 'minute', windowStart: MINUTE }]),
    ).toEqual([3]);
    expect(
      await store.forTenancy(T2).submissions.quotaUsed([{ window: 'minute', windowStart: MINUTE }]),
    ).toEqual([1]);
  });

  it('answers each acceptance as if alone when the group passes a quota: the ones that fit are written', async () => {
    const { store, count } = await coalescedStore();
    const scope = store.forTenancy(T1);
    const outcomes = await Promise.all(
      [
        ['a@x.test', 'b@x.test'],
        ['c@x.test', 'd@x.test'],
        ['e@x.test', 'f@x.test'],
      ].map((to) => scope.submissions.accept(acceptance(to, { limit: 5 }), NOW)),
    );
    expect(outcomes).toEqual(['accepted', 'accepted', 'over-quota']);
    expect(await count('submissions')).toBe(2);
    expect(await count('deliveries')).toBe(4);
    expect(await scope.submissions.quotaUsed([{ window: 'minute', windowStart: MINUTE }])).toEqual([4]);
  });

  it('lets one of two twins with the same request key in, and calls the other a duplicate', async () => {
    const { store, count } = await coalescedStore();
    const scope = store.forTenancy(T1);
    const outcomes = await Promise.all([
      scope.submissions.accept(acceptance(['a@x.test'], { requestKey: 'RETRY1' }), NOW),
      scope.submissions.accept(acceptance(['a@x.test'], { requestKey: 'RETRY1' }), NOW),
      scope.submissions.accept(acceptance(['b@x.test']), NOW),
    ]);
    expect(outcomes).toEqual(['accepted', 'duplicate', 'accepted']);
    expect(await count('submissions')).toBe(2);
    expect(await count('deliveries')).toBe(2);
  });

  it('keeps a large message in its slices next to small ones', async () => {
    const { store, count } = await coalescedStore();
    const scope = store.forTenancy(T1);
    const large = 'x'.repeat(2_500_000);
    await Promise.all([
      scope.submissions.accept(acceptance(['a@x.test'], { message: large }), NOW),
      scope.submissions.accept(acceptance(['b@x.test']), NOW),
    ]);
    expect(await count('submission_parts')).toBe(4);
    expect(await count('submission_parts', 'length(data) = 1000000')).toBe(2);
  });

  it('answers the reads of one turn per tenancy and per key', async () => {
    const { store } = await coalescedStore();
    const first = acceptance(['a@x.test'], { requestKey: 'KEY1' });
    await store.forTenancy(T1).submissions.accept(first, NOW);
    await store.forTenancy(T2).suppressions.insertIfAbsent({
      id: 'ocid1.emailsuppression.oc1.test.g1',
      emailAddress: 'gone@x.test',
      reason: 'MANUAL',
      errorDetail: null,
      errorSource: null,
      messageId: null,
      timeCreated: NOW,
      timeLastSuppressed: NOW,
    });
    await store.forTenancy(T1).senders.insert({
      id: 'ocid1.emailsender.oc1.test.g1',
      compartmentId: T1,
      emailAddress: 'App@Example.com',
      lifecycleState: 'ACTIVE',
      isSpf: false,
      emailIpPoolId: null,
      locks: [],
      freeformTags: {},
      definedTags: {},
      etag: 'e1',
      timeCreated: NOW,
    });
    const active = await Promise.all([
      store.forTenancy(T1).submissions.isActiveSender(T1, 'app@EXAMPLE.com'),
      store.forTenancy(T1).submissions.isActiveSender('ocid1.compartment.oc1..other', 'app@example.com'),
      store.forTenancy(T2).submissions.isActiveSender(T1, 'app@example.com'),
    ]);
    expect(active).toEqual([true, false, false]);
    const [mine, theirs, suppressedHere, suppressedThere] = await Promise.all([
      store.forTenancy(T1).submissions.findExisting('KEY1', undefined),
      store.forTenancy(T2).submissions.findExisting('KEY1', undefined),
      store.forTenancy(T1).submissions.suppressedAmong(['gone@x.test', 'a@x.test']),
      store.forTenancy(T2).submissions.suppressedAmong(['gone@x.test', 'a@x.test']),
    ]);
    expect(mine.map((s) => s.id)).toEqual([first.submission.id]);
    expect(theirs).toEqual([]);
    expect([...suppressedHere]).toEqual([]);
    expect([...suppressedThere]).toEqual(['gone@x.test']);
  });
});
