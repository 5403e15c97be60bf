import { eq, inArray } from 'drizzle-orm';
import type { ApiKey, Grant } from '../../domain/identity/ports';
import { chunks, distinctBy } from '../sql/batching';
import { coalescer, type Coalescing } from '../sql/coalescer';
import { bindKeys, indices, matchingAnyKey, preparedPerShape, slot } from '../sql/prepared-queries';
import type { Database } from '../database';
import { toApiKey, toGrant } from './rows';
import { iamApiKeys, iamGroups, iamMemberships, iamPolicies } from '../schema';

const LOOKUPS_PER_QUERY = 30; // at most three parameters each: within D1's 100
const TENANCIES_PER_QUERY = 90;

export interface ApiKeyLookup {
  tenancyId: string;
  userId: string;
  fingerprint: string;
}

export interface UserLookup {
  tenancyId: string;
  userId: string;
}

/** The reads every signed request makes, shared by the requests in flight at the same moment. */
export interface IdentityLoaders {
  apiKey(key: ApiKeyLookup): Promise<ApiKey | undefined>;
  groupNames(key: UserLookup): Promise<string[]>;
  grants(tenancyId: string): Promise<Grant[]>;
}

const userKey = (tenancyId: string, userId: string) => `${tenancyId}\n${userId}`;

const apiKeysQuery = preparedPerShape((db, size) => {
  const t = iamApiKeys;
  return db
    .select()
    .from(t)
    .where(matchingAnyKey(size, { tenancyId: t.tenancyId, userId: t.userId, fingerprint: t.fingerprint }))
    .prepare();
});

async function loadApiKeys(db: Database, keys: ApiKeyLookup[]): Promise<(ApiKey | undefined)[]> {
  const found = new Map<string, ApiKey>();
  const keyOf = (k: ApiKeyLookup) => `${userKey(k.tenancyId, k.userId)}\n${k.fingerprint}`;
  for (const group of chunks(distinctBy(keys, keyOf), LOOKUPS_PER_QUERY)) {
    const values = bindKeys(group, ['tenancyId', 'userId', 'fingerprint']);
    for (const row of await apiKeysQuery(db, group.length).all(values)) found.set(keyOf(row), toApiKey(row));
  }
  return keys.map((k) => found.get(keyOf(k)));
}

const groupNamesQuery = preparedPerShape((db, size) => {
  const t = iamMemberships;
  return db
    .select({ tenancyId: t.tenancyId, userId: t.userId, name: iamGroups.nameKey })
    .from(t)
    .innerJoin(iamGroups, eq(iamGroups.id, t.groupId))
    .where(matchingAnyKey(size, { tenancyId: t.tenancyId, userId: t.userId }))
    .prepare();
});

async function loadGroupNames(db: Database, keys: UserLookup[]): Promise<string[][]> {
  const names = new Map<string, string[]>();
  const distinct = distinctBy(keys, (k) => userKey(k.tenancyId, k.userId));
  for (const group of chunks(distinct, LOOKUPS_PER_QUERY)) {
    const rows = await groupNamesQuery(db, group.length).all(bindKeys(group, ['tenancyId', 'userId']));
    for (const row of rows) {
      const key = userKey(row.tenancyId, row.userId);
      names.set(key, [...(names.get(key) ?? []), row.name]);
    }
  }
  return keys.map((k) => names.get(userKey(k.tenancyId, k.userId)) ?? []);
}

const grantsQuery = preparedPerShape((db, size) => {
  const t = iamPolicies;
  return db
    .select({ tenancyId: t.tenancyId, grants: t.grants })
    .from(t)
    .where(
      inArray(
        t.tenancyId,
        indices(size).map((i) => slot('tenancyId', i)),
      ),
    )
    .prepare();
});

async function loadGrants(db: Database, tenancyIds: string[]): Promise<Grant[][]> {
  const grants = new Map<string, Grant[]>();
  for (const group of chunks([...new Set(tenancyIds)], TENANCIES_PER_QUERY)) {
    const values = bindKeys(
      group.map((tenancyId) => ({ tenancyId })),
      ['tenancyId'],
    );
    for (const row of await grantsQuery(db, group.length).all(values)) {
      grants.set(row.tenancyId, [...(grants.get(row.tenancyId) ?? []), ...row.grants.map(toGrant)]);
    }
  }
  return tenancyIds.map((id) => grants.get(id) ?? []);
}

export function identityLoaders(db: Database, coalescing: Coalescing): IdentityLoaders {
  return {
    apiKey: coalescer((keys: ApiKeyLookup[]) => loadApiKeys(db, keys), coalescing),
    groupNames: coalescer((keys: UserLookup[]) => loadGroupNames(db, keys), coalescing),
    grants: coalescer((tenancyIds: string[]) => loadGrants(db, tenancyIds), coalescing),
  };
}
