import type { Caller } from '../ports';
import { ancestry } from './compartment-path';
import { resourceCovers, verbIncludes } from './grant-covers';
import { ADMINISTRATORS_KEY } from './names';
import type { Grant, IdentityStore } from './ports';

interface CallerGrants {
  administrator: boolean;
  grants: Grant[];
}

/**
 * The caller a verified request or SMTP login acts as. Groups and policies are read once, on the first
 * question, and never outlive the request, so a membership removed now stops granting now.
 */
export function callerFor(identity: IdentityStore, tenancyId: string, userId: string): Caller {
  const directory = identity.forTenancy(tenancyId);
  let mine: Promise<CallerGrants> | undefined;
  const chains = new Map<string, Promise<string[]>>();

  const loadGrants = async (): Promise<CallerGrants> => {
    const [groups, grants] = await Promise.all([
      directory.memberships.groupNamesOf(userId),
      directory.policies.grants(),
    ]);
    const names = new Set(groups);
    return {
      administrator: names.has(ADMINISTRATORS_KEY),
      grants: grants.filter((grant) => grant.groups.some((group) => names.has(group))),
    };
  };

  const chainOf = (compartmentId: string): Promise<string[]> => {
    let chain = chains.get(compartmentId);
    if (!chain) {
      chain = ancestry(directory, tenancyId, compartmentId);
      chains.set(compartmentId, chain);
    }
    return chain;
  };

  return {
    tenancyId,
    userId,
    async can(verb, resource, compartmentId) {
      mine ??= loadGrants();
      const [{ administrator, grants }, chain] = await Promise.all([mine, chainOf(compartmentId)]);
      if (chain.length === 0) return false;
      if (administrator) return true;
      return grants.some(
        (grant) =>
          verbIncludes(grant.verb, verb) &&
          resourceCovers(grant.resource, resource) &&
          chain.includes(grant.compartmentId),
      );
    },
  };
}
