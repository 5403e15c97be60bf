import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/domain/ports';
import { findSender } from '../../../src/domain/submission/sender-standing';
import { NODE_COALESCING } from '../../../src/platform/libsql';
import { createRegionStore } from '../../../src/store/region/region-store';
import { memoryLibsql } from '../../support/memory-libsql';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaafindsender';
const compartment = (n: number) => `ocid1.compartment.oc1..aaaaaaaacompartment${String(n)}`;
const COMPARTMENTS = [TENANCY, ...Array.from({ length: 99 }, (_, i) => compartment(i + 1))];
const openMemory = memoryLibsql();

async function storeWithSender(compartmentId: string, state = 'ACTIVE') {
  const database = await openMemory();
  const { client } = database;
  await client.execute({
    sql: `INSERT INTO senders (id, tenancy_id, compartment_id, email_address, email_key, domain, lifecycle_state,
            freeform_tags, defined_tags, etag, time_created, time_updated)
          VALUES ('s1', ?, ?, 'App@Example.com', 'app@example.com', 'example.com', ?, '{}', '{}', 'e', 1, 1)`,
    args: [TENANCY, compartmentId, state],
  });
  return createRegionStore(database, { coalescing: NODE_COALESCING }).forTenancy(TENANCY);
}

function callerAllowedIn(allowed: readonly string[]): Caller & { asked: string[] } {
  const asked: string[] = [];
  return {
    tenancyId: TENANCY,
    userId: 'ocid1.user.oc1..aaaaaaaauser',
    asked,
    can(_verb, _resource, compartmentId) {
      asked.push(compartmentId);
      return Promise.resolve(allowed.includes(compartmentId));
    },
  };
}

describe('finding the compartment of an SMTP sender', () => {
  it('finds the sender in a compartment far down the list and asks for the grant there only', async () => {
    const scope = await storeWithSender(compartment(70));
    const caller = callerAllowedIn([compartment(70)]);
    expect(await findSender(scope, caller, COMPARTMENTS, 'app@EXAMPLE.com')).toEqual({
      compartmentId: compartment(70),
      standing: 'usable',
    });
    expect(caller.asked).toEqual([compartment(70)]);
  });

  it('calls a sender the caller may not use there forbidden, and an inactive or absent one not found', async () => {
    const forbidden = await findSender(
      await storeWithSender(compartment(3)),
      callerAllowedIn([]),
      COMPARTMENTS,
      'app@example.com',
    );
    expect(forbidden).toEqual({ compartmentId: compartment(3), standing: 'forbidden' });
    const caller = callerAllowedIn(COMPARTMENTS);
    const inactive = await storeWithSender(compartment(3), 'DELETED');
    expect(await findSender(inactive, caller, COMPARTMENTS, 'app@example.com')).toBeUndefined();
    expect(await findSender(inactive, caller, COMPARTMENTS, 'other@example.com')).toBeUndefined();
    expect(caller.asked).toEqual([]);
  });
});
