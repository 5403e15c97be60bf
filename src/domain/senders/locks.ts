import { DomainError } from '../errors';
import type { Caller, RegionHandle, Runtime, Sender, SenderLockType } from '../ports';
import { changeSender } from './change';

export interface AddLockInput {
  type: SenderLockType;
  compartmentId?: string | undefined;
  relatedResourceId?: string | undefined;
  message?: string | undefined;
}

/** Rewrites a sender's locks through changeSender (which locks never block), and logs it. */
async function changeLocks(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  ifMatch: string | undefined,
  event: { name: 'sender.locked' | 'sender.unlocked'; type: SenderLockType },
  edit: (current: Sender) => Sender['locks'],
): Promise<Sender> {
  const change = { kind: 'locks' as const, changes: (current: Sender) => ({ locks: edit(current) }) };
  const sender = await changeSender(rt, region, caller, senderId, change, ifMatch);
  rt.logger.info(event.name, { region: region.id, senderId, type: event.type });
  return sender;
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
  return changeLocks(
    rt,
    region,
    caller,
    senderId,
    ifMatch,
    { name: 'sender.locked', type: input.type },
    (current) => {
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
      return [...current.locks, lock];
    },
  );
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
  return changeLocks(
    rt,
    region,
    caller,
    senderId,
    ifMatch,
    { name: 'sender.unlocked', type: input.type },
    (current) => {
      if (!current.locks.some(matches)) {
        throw new DomainError('InvalidParameter', `Sender ${senderId} has no such ${input.type} lock`);
      }
      return current.locks.filter((lock) => !matches(lock));
    },
  );
}
