import { DomainError } from '../errors';
import { newOcid } from '../ocid';
import type { Caller, DefinedTags, FreeformTags, RegionHandle, Runtime, Sender } from '../ports';
import { newEtag } from './etag';

export interface CreateSenderInput {
  compartmentId: string;
  emailAddress: string;
  emailIpPoolId?: string;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
}

export async function createSender(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  input: CreateSenderInput,
): Promise<Sender> {
  const result = await region.store.forTenancy(caller.tenancyId).senders.insert({
    id: newOcid(rt.ids, 'emailsender', region.descriptor.realm, region.id),
    compartmentId: input.compartmentId,
    emailAddress: input.emailAddress,
    lifecycleState: 'ACTIVE',
    isSpf: false,
    emailIpPoolId: input.emailIpPoolId ?? null,
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  });
  if (result === 'duplicate') {
    throw new DomainError(
      'Conflict',
      `An approved sender for ${input.emailAddress} already exists in region ${region.id}`,
    );
  }
  rt.logger.info('sender.created', { region: region.id, senderId: result.id });
  return result;
}
