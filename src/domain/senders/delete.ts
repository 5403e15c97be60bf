import type { Caller, RegionHandle, Runtime } from '../ports';
import { changeSender } from './change';

/** Marks the sender DELETED; the purge job removes it after the retention period. */
export async function deleteSender(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  ifMatch: string | undefined,
  overrideLocks?: boolean,
): Promise<void> {
  const changes = () => ({ lifecycleState: 'DELETED' as const, timeDeleted: rt.clock.now() });
  await changeSender(rt, region, caller, senderId, { kind: 'delete', overrideLocks, changes }, ifMatch);
  rt.logger.info('sender.deleted', { region: region.id, senderId });
}
