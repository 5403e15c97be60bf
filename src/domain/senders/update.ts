import type { Caller, DefinedTags, FreeformTags, RegionHandle, Runtime, Sender } from '../ports';
import { changeSender } from './change';

export interface UpdateSenderInput {
  emailIpPoolId?: string;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
}

/** Replaces each tag set that is given; omitted sets stay as they are (OCI's semantics). */
export async function updateSender(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  input: UpdateSenderInput,
  ifMatch: string | undefined,
  overrideLocks?: boolean,
): Promise<Sender> {
  const change = { kind: 'update' as const, overrideLocks, changes: () => input };
  const sender = await changeSender(rt, region, caller, senderId, change, ifMatch);
  rt.logger.info('sender.updated', { region: region.id, senderId });
  return sender;
}
