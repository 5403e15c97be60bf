import { DomainError } from '../errors';
import { requireGrant } from '../identity/require-grant';
import { newOcid } from '../ocid';
import type { Caller, DefinedTags, FreeformTags, RegionHandle, Resolver, Runtime, Sender } from '../ports';
import { checkRegionSpf } from '../spf/check-region';
import { newEtag } from '../../values/etag';

export const SPF_CHECK_AT_CREATE_MS = 5_000; // a slow resolver must not hold creation; the refresh job catches up

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
  resolver: Resolver,
): Promise<Sender> {
  const { compartmentId } = input;
  await requireGrant(caller, 'manage', 'approved-senders', compartmentId, `Compartment ${compartmentId}`);
  const spf = await checkRegionSpf(
    resolver,
    region.descriptor,
    input.emailAddress,
    AbortSignal.timeout(SPF_CHECK_AT_CREATE_MS),
  );
  const result = await region.store.forTenancy(caller.tenancyId).senders.insert({
    id: newOcid(rt.ids, 'emailsender', region.descriptor.realm, region.id),
    compartmentId: input.compartmentId,
    emailAddress: input.emailAddress,
    lifecycleState: 'ACTIVE',
    isSpf: spf.authorized,
    emailIpPoolId: input.emailIpPoolId ?? null,
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    locks: [],
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  });
  if (result === 'duplicate') {
    throw new DomainError(
      'Conflict',
      `An approved sender for ${input.emailAddress} already exists in region ${region.id}`,
    );
  }
  rt.logger.info('sender.created', { region: region.id, senderId: result.id, spf: spf.result });
  return result;
}
