import { notFound } from '../../errors';
import type { Caller, Runtime } from '../../ports';
import { newEtag } from '../../../values/etag';
import { conflict, settle } from '../outcome';
import type { IdentityStore } from '../ports';
import { requireGrant } from '../require-grant';

/**
 * Marks an empty compartment DELETED. Child compartments and policies count as content; approved senders
 * live in the region databases and are not checked (they stay reachable to whoever managed them).
 */
export async function deleteCompartment(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const directory = identity.forTenancy(caller.tenancyId);
  const what = `Compartment ${id}`;
  const compartment = await directory.compartments.findById(id);
  if (compartment?.lifecycleState !== 'ACTIVE') throw notFound(what);
  await requireGrant(caller, 'manage', 'compartments', compartment.parentId, what);
  if ((await directory.compartments.hasLiveChildren(id)) || (await directory.policies.existsIn(id))) {
    throw conflict(`${what} still holds compartments or policies; delete them first`);
  }
  settle(await directory.compartments.markDeleted(id, newEtag(rt.ids), ifMatch), what);
  rt.logger.info('compartment.deleted', { compartmentId: id });
}
