import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle, Runtime } from '../ports';
import { changeSender } from './change';

export async function changeSenderCompartment(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  compartmentId: string,
  ifMatch: string | undefined,
  overrideLocks?: boolean,
): Promise<void> {
  // Moving needs manage on both ends; the source is checked by changeSender.
  await requireGrant(caller, 'manage', 'approved-senders', compartmentId, `Compartment ${compartmentId}`);
  const change = { kind: 'update' as const, overrideLocks, changes: () => ({ compartmentId }) };
  await changeSender(rt, region, caller, senderId, change, ifMatch);
  rt.logger.info('sender.moved', { region: region.id, senderId, compartmentId });
}
