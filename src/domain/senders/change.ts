import { DomainError, notFound } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle, Runtime, Sender, SenderChanges, SenderLockType } from '../ports';
import { newEtag } from '../../values/etag';

/** What a change is, for the locks: an update or move, a delete, or a change of the locks themselves. */
export interface ChangeKind {
  kind: 'update' | 'delete' | 'locks';
  /** isLockOverride: the caller, who may manage the sender, goes past its locks. */
  overrideLocks?: boolean | undefined;
  /** The changes, from the sender as it is now (the locks need it). */
  changes: (current: Sender) => Omit<SenderChanges, 'etag' | 'timeUpdated'>;
}

/** The lock types that block a kind of change: FULL blocks every change, DELETE blocks deleting. */
const BLOCKING: Record<ChangeKind['kind'], readonly SenderLockType[]> = {
  update: ['FULL'],
  delete: ['FULL', 'DELETE'],
  locks: [],
};

/**
 * Applies a change to a live sender the caller may manage, honouring `if-match` and the sender's locks;
 * every change gets a fresh etag. The write is conditional on the etag that was authorized, so a concurrent
 * move cannot slip by.
 */
export async function changeSender(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  change: ChangeKind,
  ifMatch: string | undefined,
): Promise<Sender> {
  const senders = region.store.forTenancy(caller.tenancyId).senders;
  const current = await senders.findById(senderId);
  if (!current || current.lifecycleState === 'DELETED') throw notFound(`Sender ${senderId}`);
  await requireGrant(caller, 'manage', 'approved-senders', current.compartmentId, `Sender ${senderId}`);
  const lock = current.locks.find((held) => BLOCKING[change.kind].includes(held.type));
  if (lock && change.overrideLocks !== true) {
    throw new DomainError(
      'Conflict',
      `Sender ${senderId} has a ${lock.type} lock${lock.message ? ` (${lock.message})` : ''}; remove it, or pass isLockOverride=true`,
    );
  }
  const stamp = { etag: newEtag(rt.ids), timeUpdated: rt.clock.now() };
  const result = await senders.update(
    senderId,
    { ...change.changes(current), ...stamp },
    ifMatch ?? current.etag,
  );
  if (result === 'missing') throw notFound(`Sender ${senderId}`);
  if (result === 'etag-mismatch' && ifMatch === undefined) {
    throw new DomainError('Conflict', `Sender ${senderId} changed while this request ran; retry`);
  }
  if (result === 'etag-mismatch') {
    throw new DomainError('NoEtagMatch', `The if-match value does not match the current etag of ${senderId}`);
  }
  return result;
}
