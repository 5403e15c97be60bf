import type { ApiKey, Grant } from '../../domain/identity/ports';
import type { ResourceType, Verb } from '../../domain/ports';
import type { iamApiKeys, StoredGrant } from '../schema';

/** Rows as the identity domain reads them; the repositories and the batched loaders both answer with these. */
export function toApiKey(row: typeof iamApiKeys.$inferSelect): ApiKey {
  return {
    userId: row.userId,
    fingerprint: row.fingerprint,
    keyValue: row.keyValue,
    timeCreated: new Date(row.timeCreated),
  };
}

/** Grants are written only by the domain after parsing, so their verbs and types are known values. */
export const toGrant = (stored: StoredGrant): Grant => ({
  groups: stored.groups,
  verb: stored.verb as Verb,
  resource: stored.resource as ResourceType,
  compartmentId: stored.compartmentId,
});
