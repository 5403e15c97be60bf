import { and, eq, inArray, or } from 'drizzle-orm';
import type { ApiKey, Grant } from '../domain/identity/ports';
import { chunks, distinctBy } from './batching';
import { coalescer, type Coalescing } from './coalescer';
import type { Database } from './database';
import { toApiKey } from './identity-api-keys';
import { toGrant } from './identity-policies';
import { iamApiKeys, iamGroups, iamMemberships, iamPolicies } from './schema';

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

async function loadApiKeys(db: Database, keys: ApiKeyLookup[]): Promise<(ApiKey | undefined)[]> {
  const t = iamApiKeys;
  const found = new Map<string, ApiKey>();
  const keyOf = (k: ApiKeyLookup) => `${userKey(k.tenancyId, k.userId)}\n${k.fingerprint}`;
  for (const group of chunks(distinctBy(keys, keyOf), LOOKUPS_PER_QUERY)) {
    const rows = await db
      .select()
      .from(t)
      .where(
        or(
          ...group.map((k) =>
            and(eq(t.tenancyId, k.tenancyId), eq(t.userId, k.userId), eq(t.fingerprint, k.fingerprint)),
          ),
        ),
      );
    for (const row of rows) found.set(keyOf(row), toApiKey(row));
  }
  return keys.map((k) => found.get(keyOf(k)));
}

async function loadGroupNames(db: Database, keys: UserLookup[]): Promise<string[][]> {
  const t = iamMemberships;
  const names = new Map<string, string[]>();
  const distinct = distinctBy(keys, (k) => userKey(k.tenancyId, k.userId));
  for (const group of chunks(distinct, LOOKUPS_PER_QUERY)) {
    const rows = await db
      .select({ tenancyId: t.tenancyId, userId: t.userId, name: iamGroups.nameKey })
      .from(t)
      .innerJoin(iamGroups, eq(iamGroups.id, t.groupId))
      .where(or(...group.map((k) => and(eq(t.tenancyId, k.tenancyId), eq(t.userId, k.userId)))));
    for (const row of rows) {
      const key = userKey(row.tenancyId, row.userId);
      names.set(key, [...(names.get(key) ?? []), row.name]);
    }
  }
  return keys.map((k) => names.get(userKey(k.tenancyId, k.userId)) ?? []);
}

async function loadGrants(db: Database, tenancyIds: string[]): Promise<Grant[][]> {
  const t = iamPolicies;
  const grants = new Map<string, Grant[]>();
  for (const group of chunks([...new Set(tenancyIds)], TENANCIES_PER_QUERY)) {
    const rows = await db
      .select({ tenancyId: t.tenancyId, grants: t.grants })
      .from(t)
      .where(inArray(t.tenancyId, group));
    for (const row of rows) {
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
