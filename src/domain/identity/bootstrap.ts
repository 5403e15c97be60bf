import { DomainError } from '../errors';
import type { Runtime } from '../ports';
import { MAX_API_KEYS_PER_USER } from './api-keys';
import { ADMINISTRATORS_GROUP } from './names';
import { newIdentityOcid, newMembership, newTaggedRecord } from './new-records';
import type { Directory, Group, IdentityStore, Tenancy, User } from './ports';
import { parsePublicKey } from './public-key';

export const ADMIN_USER_NAME = 'admin';
export const DEFAULT_TENANCY_NAME = 'tenancy';

export interface BootstrapInput {
  publicKeyPem: string;
  /** Bootstraps this tenancy (created when absent) instead of the first one. */
  tenancyId?: string;
  tenancyName?: string;
}

export interface BootstrapResult {
  tenancyId: string;
  userId: string;
  fingerprint: string;
  /** What the OCI SDK puts in its signatures: `<tenancy>/<user>/<fingerprint>`. */
  keyId: string;
}

async function ensureTenancy(rt: Runtime, identity: IdentityStore, input: BootstrapInput): Promise<Tenancy> {
  const existing = input.tenancyId
    ? await identity.findTenancy(input.tenancyId)
    : await identity.firstTenancy();
  if (existing) return existing;
  const tenancy = {
    id: input.tenancyId ?? newIdentityOcid(rt, 'tenancy'),
    name: input.tenancyName ?? DEFAULT_TENANCY_NAME,
    timeCreated: rt.clock.now(),
  };
  await identity.insertTenancy(tenancy);
  return tenancy;
}

async function ensureAdministrators(rt: Runtime, directory: Directory): Promise<Group> {
  const found = await directory.groups.findByName(ADMINISTRATORS_GROUP);
  if (found) return found;
  const inserted = await directory.groups.insert({
    ...newTaggedRecord(rt, 'group'),
    name: ADMINISTRATORS_GROUP,
    description: 'Members manage everything in the tenancy',
  });
  return inserted === 'duplicate' ? ensureAdministrators(rt, directory) : inserted;
}

async function ensureAdmin(rt: Runtime, directory: Directory): Promise<User> {
  const found = await directory.users.findByName(ADMIN_USER_NAME);
  if (found) return found;
  const inserted = await directory.users.insert({
    ...newTaggedRecord(rt, 'user'),
    name: ADMIN_USER_NAME,
    description: 'Administrator created by bootstrap',
    email: null,
  });
  return inserted === 'duplicate' ? ensureAdmin(rt, directory) : inserted;
}

/**
 * Creates what is missing of: the tenancy, the Administrators group, the `admin` user in it, and the
 * given public key on that user. Running it again changes nothing.
 */
export async function bootstrapTenancy(
  rt: Runtime,
  identity: IdentityStore,
  input: BootstrapInput,
): Promise<BootstrapResult> {
  const key = await parsePublicKey(input.publicKeyPem);
  const tenancy = await ensureTenancy(rt, identity, input);
  const directory = identity.forTenancy(tenancy.id);
  const group = await ensureAdministrators(rt, directory);
  const user = await ensureAdmin(rt, directory);
  if (!(await directory.memberships.exists({ userId: user.id, groupId: group.id }))) {
    await directory.memberships.insert(newMembership(rt, user.id, group.id));
  }
  const stored = await directory.apiKeys.insertWithin(
    { userId: user.id, fingerprint: key.fingerprint, keyValue: key.pem, timeCreated: rt.clock.now() },
    MAX_API_KEYS_PER_USER,
  );
  if (stored === 'limit') {
    throw new DomainError(
      'LimitExceeded',
      `User ${ADMIN_USER_NAME} already has ${MAX_API_KEYS_PER_USER} API keys; delete one first`,
    );
  }
  rt.logger.info('identity.bootstrapped', {
    tenancyId: tenancy.id,
    userId: user.id,
    fingerprint: key.fingerprint,
  });
  return {
    tenancyId: tenancy.id,
    userId: user.id,
    fingerprint: key.fingerprint,
    keyId: `${tenancy.id}/${user.id}/${key.fingerprint}`,
  };
}
