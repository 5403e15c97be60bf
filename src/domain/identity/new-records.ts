import { newOcid, type OcidKind } from '../ocid';
import type { DefinedTags, FreeformTags, Runtime } from '../ports';
import { newEtag } from '../../values/etag';
import type { Membership } from './ports';

/** Identity is global: its OCIDs carry the realm and an empty region segment, as OCI's do. */
const IDENTITY_REALM = 'oc1';

export const newIdentityOcid = (rt: Runtime, kind: OcidKind): string =>
  newOcid(rt.ids, kind, IDENTITY_REALM, '');

export interface Tags {
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
}

/** What a new user, group, compartment or policy starts with: an id, its tags (none unless given), an etag. */
export function newTaggedRecord(rt: Runtime, kind: OcidKind, tags: Tags = {}) {
  return {
    id: newIdentityOcid(rt, kind),
    freeformTags: tags.freeformTags ?? {},
    definedTags: tags.definedTags ?? {},
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  };
}

export const newMembership = (rt: Runtime, userId: string, groupId: string): Membership => ({
  id: newIdentityOcid(rt, 'groupmembership'),
  userId,
  groupId,
  timeCreated: rt.clock.now(),
});
