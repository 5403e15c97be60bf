import type { Caller, RegionHandle, Runtime } from '../ports';
import { changeSender } from './change';

/** Marks the sender DELETED; the purge job removes it after the retention period. */
export async function deleteSender(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  ifMatch: string | undefined,
): Promise<void> {
  await changeSender(
    rt,
    region,
    caller,
    senderId,
    { lifecycleState: 'DELETED', timeDeleted: rt.clock.now() },
    ifMatch,
  );
  rt.logger.info('sender.deleted', { region: region.id, senderId });
}
