import { DomainError, notFound } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle, Runtime, Sender, SenderChanges } from '../ports';
import { newEtag } from './etag';

/**
 * Applies `changes` to a live sender the caller may manage, honouring `if-match`; every change gets a
 * fresh etag. The write is conditional on the etag that was authorized, so a concurrent move cannot slip by.
 */
export async function changeSender(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  changes: Omit<SenderChanges, 'etag' | 'timeUpdated'>,
  ifMatch: string | undefined,
): Promise<Sender> {
  const senders = region.store.forTenancy(caller.tenancyId).senders;
  const current = await senders.findById(senderId);
  if (!current || current.lifecycleState === 'DELETED') throw notFound(`Sender ${senderId}`);
  await requireGrant(caller, 'manage', 'approved-senders', current.compartmentId, `Sender ${senderId}`);
  const stamp = { etag: newEtag(rt.ids), timeUpdated: rt.clock.now() };
  const result = await senders.update(senderId, { ...changes, ...stamp }, ifMatch ?? current.etag);
  if (result === 'missing') throw notFound(`Sender ${senderId}`);
  if (result === 'etag-mismatch' && ifMatch === undefined) {
    throw new DomainError('Conflict', `Sender ${senderId} changed while this request ran; retry`);
  }
  if (result === 'etag-mismatch') {
    throw new DomainError('NoEtagMatch', `The if-match value does not match the current etag of ${senderId}`);
  }
  return result;
}
