import { notFound } from '../../errors';
import type { Compartment, Directory } from '../ports';

/** The live compartment a policy is attached to; undefined when it is the tenancy itself. */
export async function policyHome(
  directory: Directory,
  tenancyId: string,
  compartmentId: string,
): Promise<Compartment | undefined> {
  if (compartmentId === tenancyId) return undefined;
  const compartment = await directory.compartments.findById(compartmentId);
  if (compartment?.lifecycleState !== 'ACTIVE') throw notFound(`Compartment ${compartmentId}`);
  return compartment;
}
