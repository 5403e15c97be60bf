import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle, Sender, SenderFilter } from '../ports';
import type { ListOptions, Page } from '../../values/page';

export interface SenderList {
  page: Page<Sender>;
  total: number;
}

export async function listSenders(
  region: RegionHandle,
  caller: Caller,
  filter: SenderFilter,
  options: ListOptions,
): Promise<SenderList> {
  const { compartmentId } = filter;
  await requireGrant(caller, 'inspect', 'approved-senders', compartmentId, `Compartment ${compartmentId}`);
  const senders = region.store.forTenancy(caller.tenancyId).senders;
  const [page, total] = await Promise.all([senders.list(filter, options), senders.count(filter)]);
  return { page, total };
}
