import { Hono } from 'hono';
import type { IdentityStore } from '../../../domain/identity/ports';
import type { Runtime } from '../../../domain/ports';
import type { AppEnv } from '../../app-env';
import { compartmentRoutes } from './compartments';
import { credentialRoutes } from './credentials';
import { groupRoutes } from './groups';
import { membershipRoutes } from './memberships';
import { policyRoutes } from './policies';
import { smtpCredentialVerificationRoutes } from './smtp-credential-verifications';
import { userRoutes } from './users';

/** The OCI Identity API (20160918) operations the oci-identity SDK needs for tenancy administration. */
export function identityApi(rt: Runtime, identity: IdentityStore) {
  return new Hono<AppEnv>()
    .route('/compartments', compartmentRoutes(rt, identity))
    .route('/users', userRoutes(rt, identity))
    .route('/users', credentialRoutes(rt, identity))
    .route('/groups', groupRoutes(rt, identity))
    .route('/userGroupMemberships', membershipRoutes(rt, identity))
    .route('/policies', policyRoutes(rt, identity))
    .route('/smtpCredentialVerifications', smtpCredentialVerificationRoutes(identity));
}
