import { DomainError } from '../errors';
import type { Caller, RegionHandle, Runtime, Sender, SenderLockType } from '../ports';
import { changeSender } from './change';

export interface AddLockInput {
  type: SenderLockType;
  compartmentId?: string | undefined;
  relatedResourceId?: string | undefined;
  message?: string | undefined;
}

/** addSenderLock: one lock of each type at most; the lock's compartment is the sender's unless given. */
export async function addSenderLock(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  input: AddLockInput,
  ifMatch: string | undefined,
): Promise<Sender> {
  const sender = await changeSender(
    rt,
    region,
    caller,
    senderId,
    {
      kind: 'locks',
      changes: (current) => {
        if (current.locks.some((lock) => lock.type === input.type)) {
          throw new DomainError('Conflict', `Sender ${senderId} already has a ${input.type} lock`);
        }
        const lock = {
          type: input.type,
          compartmentId: input.compartmentId ?? current.compartmentId,
          ...(input.relatedResourceId ? { relatedResourceId: input.relatedResourceId } : {}),
          ...(input.message ? { message: input.message } : {}),
          timeCreated: rt.clock.now(),
        };
        return { locks: [...current.locks, lock] };
      },
    },
    ifMatch,
  );
  rt.logger.info('sender.locked', { region: region.id, senderId, type: input.type });
  return sender;
}

/** removeSenderLock: removes the sender's lock of that type (and compartment, when given). */
export async function removeSenderLock(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  input: { type: SenderLockType; compartmentId?: string | undefined },
  ifMatch: string | undefined,
): Promise<Sender> {
  const matches = (lock: Sender['locks'][number]) =>
    lock.type === input.type &&
    (input.compartmentId === undefined || lock.compartmentId === input.compartmentId);
  const sender = await changeSender(
    rt,
    region,
    caller,
    senderId,
    {
      kind: 'locks',
      changes: (current) => {
        if (!current.locks.some(matches)) {
          throw new DomainError('InvalidParameter', `Sender ${senderId} has no such ${input.type} lock`);
        }
        return { locks: current.locks.filter((lock) => !matches(lock)) };
      },
    },
    ifMatch,
  );
  rt.logger.info('sender.unlocked', { region: region.id, senderId, type: input.type });
  return sender;
}
