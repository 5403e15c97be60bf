import { notFound } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle, Sender } from '../ports';

export async function getSender(region: RegionHandle, caller: Caller, senderId: string): Promise<Sender> {
  const sender = await region.store.forTenancy(caller.tenancyId).senders.findById(senderId);
  if (!sender) throw notFound(`Sender ${senderId}`);
  await requireGrant(caller, 'read', 'approved-senders', sender.compartmentId, `Sender ${senderId}`);
  return sender;
}
