import { newOcid } from '../../ocid';
import type { Caller, DefinedTags, FreeformTags, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import { assertTenancy, conflict } from '../outcome';
import { IDENTITY_REALM, type IdentityStore, type User } from '../ports';
import { requireGrant } from '../require-grant';

export interface CreateUserInput {
  compartmentId: string;
  name: string;
  description: string;
  email?: string;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
}

export async function createUser(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  input: CreateUserInput,
): Promise<User> {
  await requireGrant(caller, 'manage', 'users', caller.tenancyId, `Compartment ${input.compartmentId}`);
  assertTenancy(caller, input.compartmentId, 'users');
  const result = await identity.forTenancy(caller.tenancyId).users.insert({
    id: newOcid(rt.ids, 'user', IDENTITY_REALM, ''),
    name: input.name,
    description: input.description,
    email: input.email ?? null,
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  });
  if (result === 'duplicate') throw conflict(`A user named ${input.name} already exists`);
  rt.logger.info('user.created', { userId: result.id });
  return result;
}
