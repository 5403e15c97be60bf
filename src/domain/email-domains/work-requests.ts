import type { ListOptions, Page } from '../../values/page';
import { notFound } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle } from '../ports';
import type { WorkRequest, WorkRequestFilter } from './ports';

const what = (id: string) => `Work request ${id}`;

/** Work requests are read under OCI's `email-work-requests` resource type, in the compartment they name. */
export async function getWorkRequest(region: RegionHandle, caller: Caller, id: string): Promise<WorkRequest> {
  const work = await region.store.forTenancy(caller.tenancyId).emailDomains.findWorkRequest(id);
  if (!work) throw notFound(what(id));
  await requireGrant(caller, 'read', 'email-work-requests', work.compartmentId, what(id));
  return work;
}

export async function listWorkRequests(
  region: RegionHandle,
  caller: Caller,
  filter: WorkRequestFilter,
  options: ListOptions<'TIMECREATED'>,
): Promise<Page<WorkRequest>> {
  const { compartmentId } = filter;
  await requireGrant(caller, 'inspect', 'email-work-requests', compartmentId, `Compartment ${compartmentId}`);
  return region.store.forTenancy(caller.tenancyId).emailDomains.listWorkRequests(filter, options);
}
