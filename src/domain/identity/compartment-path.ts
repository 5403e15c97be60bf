import type { Directory } from './ports';
import { MAX_COMPARTMENT_DEPTH } from './names';

/**
 * `compartmentId` and its ancestors up to and including the tenancy, nearest first; empty when the
 * compartment is not in this tenancy. Deleted compartments still count, so what they held stays reachable.
 */
export async function ancestry(
  directory: Directory,
  tenancyId: string,
  compartmentId: string,
): Promise<string[]> {
  const chain: string[] = [];
  let id = compartmentId;
  for (let depth = 0; depth <= MAX_COMPARTMENT_DEPTH; depth++) {
    if (id === tenancyId) return [...chain, tenancyId];
    const compartment = await directory.compartments.findById(id);
    if (!compartment) return [];
    chain.push(compartment.id);
    id = compartment.parentId;
  }
  return [];
}
