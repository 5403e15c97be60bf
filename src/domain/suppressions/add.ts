import { normalizeAddress } from '../email-address';
import { newOcid } from '../ocid';
import type { Caller, RegionHandle, Runtime, Suppression } from '../ports';
import { assertTenancyCompartment, requireSuppressionGrant } from './tenancy-compartment';

export interface AddSuppressionInput {
  compartmentId: string;
  emailAddress: string;
}

/** Adds a MANUAL suppression; an address already suppressed is returned as it is. */
export async function addSuppression(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  input: AddSuppressionInput,
): Promise<Suppression> {
  assertTenancyCompartment(caller, input.compartmentId);
  await requireSuppressionGrant(caller, 'manage', `Compartment ${input.compartmentId}`);
  const now = rt.clock.now();
  const suppression = await region.store.forTenancy(caller.tenancyId).suppressions.insertIfAbsent({
    id: newOcid(rt.ids, 'emailsuppression', region.descriptor.realm, region.id),
    emailAddress: normalizeAddress(input.emailAddress),
    reason: 'MANUAL',
    errorDetail: null,
    errorSource: null,
    messageId: null,
    timeCreated: now,
    timeLastSuppressed: now,
  });
  rt.logger.info('suppression.added', { region: region.id, suppressionId: suppression.id, reason: 'MANUAL' });
  return suppression;
}
