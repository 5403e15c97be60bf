import { notFound } from '../errors';
import type { Caller, ResourceType, Verb } from '../ports';

/**
 * Refuses exactly as a missing resource would (404 NotAuthorizedOrNotFound), so a caller learns nothing
 * about what it may not see. Call it before any write.
 */
export async function requireGrant(
  caller: Caller,
  verb: Verb,
  resource: ResourceType,
  compartmentId: string,
  what: string,
): Promise<void> {
  if (!(await caller.can(verb, resource, compartmentId))) throw notFound(what);
}
