import { notFound } from '../errors';
import type { Caller, RegionHandle, Sender } from '../ports';

export async function getSender(region: RegionHandle, caller: Caller, senderId: string): Promise<Sender> {
  const sender = await region.store.forTenancy(caller.tenancyId).senders.findById(senderId);
  if (!sender) throw notFound(`Sender ${senderId}`);
  return sender;
}
