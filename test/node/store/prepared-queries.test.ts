import { describe, expect, it } from 'vitest';
import { eq, or } from 'drizzle-orm';
import {
  bindKeys,
  indices,
  matchingAnyKey,
  preparedPerShape,
  slot,
} from '../../../src/store/sql/prepared-queries';
import { suppressions } from '../../../src/store/schema';
import { memoryLibsql } from '../../support/memory-libsql';

const database = memoryLibsql();

describe('queries prepared per shape', () => {
  it('builds one query per database and size, and binds each call its own keys', async () => {
    let builds = 0;
    const byAddress = preparedPerShape((db, size) => {
      builds += 1;
      return db
        .select({ emailAddress: suppressions.emailAddress })
        .from(suppressions)
        .where(or(...indices(size).map((i) => eq(suppressions.emailAddress, slot('address', i)))))
        .prepare();
    });
    const first = await database();
    const second = await database();
    await first.client.execute(
      `INSERT INTO suppressions (id, tenancy_id, email_address, reason, time_created, time_last_suppressed)
       VALUES ('s1', 't', 'a@x.test', 'MANUAL', 1, 1), ('s2', 't', 'b@x.test', 'MANUAL', 1, 1)`,
    );
    const ask = async (db: Awaited<ReturnType<typeof database>>, addresses: string[]) =>
      (
        await byAddress(db.db, addresses.length).all(
          bindKeys(
            addresses.map((address) => ({ address })),
            ['address'],
          ),
        )
      )
        .map((r) => r.emailAddress)
        .sort();

    expect(await ask(first, ['a@x.test', 'c@x.test'])).toEqual(['a@x.test']);
    expect(await ask(first, ['b@x.test', 'a@x.test'])).toEqual(['a@x.test', 'b@x.test']);
    expect(await ask(first, ['b@x.test'])).toEqual(['b@x.test']);
    expect(await ask(second, ['a@x.test', 'b@x.test'])).toEqual([]);
    expect(builds).toBe(3); // sizes 2 and 1 on the first database, size 2 on the second
  });

  it('binds a field a key lacks as NULL, which matches nothing', () => {
    expect(
      bindKeys(
        [
          { a: 'x', b: undefined },
          { a: 'y', b: 'z' },
        ],
        ['a', 'b'],
      ),
    ).toEqual({
      a0: 'x',
      b0: null,
      a1: 'y',
      b1: 'z',
    });
  });
});

describe('matching any key', () => {
  it('compares each field of each key with its column, keys joined by OR', async () => {
    const { db } = await memoryLibsql()();
    const query = db
      .select({ id: suppressions.id })
      .from(suppressions)
      .where(matchingAnyKey(2, { tenancyId: suppressions.tenancyId, address: suppressions.emailAddress }))
      .toSQL();
    expect(query.sql).toContain(
      'where (("suppressions"."tenancy_id" = ? and "suppressions"."email_address" = ?) or ("suppressions"."tenancy_id" = ? and "suppressions"."email_address" = ?))',
    );
  });
});
