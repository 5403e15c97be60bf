import { newOcid } from '../../ocid';
import type { Caller, DefinedTags, FreeformTags, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import { assertTenancy, conflict } from '../outcome';
import { IDENTITY_REALM, type Group, type IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

export interface CreateGroupInput {
  compartmentId: string;
  name: string;
  description: string;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
}

export async function createGroup(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  input: CreateGroupInput,
): Promise<Group> {
  await requireGrant(caller, 'manage', 'groups', caller.tenancyId, `Compartment ${input.compartmentId}`);
  assertTenancy(caller, input.compartmentId, 'groups');
  const result = await identity.forTenancy(caller.tenancyId).groups.insert({
    id: newOcid(rt.ids, 'group', IDENTITY_REALM, ''),
    name: input.name,
    description: input.description,
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  });
  if (result === 'duplicate') throw conflict(`A group named ${input.name} already exists`);
  rt.logger.info('group.created', { groupId: result.id });
  return result;
}
