import { asc, eq } from 'drizzle-orm';
import type { IdentityStore, Tenancy } from '../../domain/identity/ports';
import type { Coalescing } from '../sql/coalescer';
import type { Database } from '../database';
import { apiKeyRepository } from './api-keys';
import { compartmentRepository } from './compartments';
import { groupRepository } from './groups';
import { identityLoaders } from './loaders';
import { perTenancy } from '../region/per-tenancy';
import { membershipRepository } from './memberships';
import { policyRepository } from './policies';
import { smtpCredentialRepository, toSmtpCredential } from './smtp-credentials';
import { uiPasswordRepository } from './ui-passwords';
import { userRepository } from './users';
import { iamSmtpCredentials, iamTenancies } from '../schema';

type TenancyRow = typeof iamTenancies.$inferSelect;

const toTenancy = (row: TenancyRow): Tenancy => ({
  id: row.id,
  name: row.name,
  timeCreated: new Date(row.timeCreated),
});

/**
 * The identity store closes over the one global identity database. With `coalescing`, the reads every
 * signed request makes are shared by the requests in flight at the same moment.
 */
export function createIdentityStore(db: Database, coalescing: Coalescing = {}): IdentityStore {
  const loaders = identityLoaders(db, coalescing);
  return {
    async findTenancy(id) {
      const [row] = await db.select().from(iamTenancies).where(eq(iamTenancies.id, id)).limit(1);
      return row ? toTenancy(row) : undefined;
    },

    async firstTenancy() {
      const [row] = await db
        .select()
        .from(iamTenancies)
        .orderBy(asc(iamTenancies.timeCreated), asc(iamTenancies.id))
        .limit(1);
      return row ? toTenancy(row) : undefined;
    },

    async insertTenancy(tenancy) {
      await db
        .insert(iamTenancies)
        .values({ ...tenancy, timeCreated: tenancy.timeCreated.getTime() })
        .onConflictDoNothing();
    },

    forTenancy: perTenancy((tenancyId) => ({
      compartments: compartmentRepository(db, tenancyId),
      users: userRepository(db, tenancyId),
      groups: groupRepository(db, tenancyId),
      memberships: membershipRepository(db, tenancyId, loaders),
      policies: policyRepository(db, tenancyId, loaders),
      apiKeys: apiKeyRepository(db, tenancyId, loaders),
      smtpCredentials: smtpCredentialRepository(db, tenancyId),
      uiPasswords: uiPasswordRepository(db, tenancyId),
    })),

    async findSmtpCredential(username) {
      const [row] = await db
        .select()
        .from(iamSmtpCredentials)
        .where(eq(iamSmtpCredentials.username, username))
        .limit(1);
      return row ? { tenancyId: row.tenancyId, credential: toSmtpCredential(row) } : undefined;
    },
  };
}
