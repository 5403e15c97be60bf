import { DomainError, notFound } from '../errors';
import type { Caller, RegionHandle, Runtime, Sender, SenderChanges } from '../ports';
import { newEtag } from './etag';

/** Applies `changes` to a live sender, honouring `if-match`; every change gets a fresh etag. */
export async function changeSender(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  changes: Omit<SenderChanges, 'etag' | 'timeUpdated'>,
  ifMatch: string | undefined,
): Promise<Sender> {
  const result = await region.store
    .forTenancy(caller.tenancyId)
    .senders.update(senderId, { ...changes, etag: newEtag(rt.ids), timeUpdated: rt.clock.now() }, ifMatch);
  if (result === 'missing') throw notFound(`Sender ${senderId}`);
  if (result === 'etag-mismatch') {
    throw new DomainError('NoEtagMatch', `The if-match value does not match the current etag of ${senderId}`);
  }
  return result;
}
