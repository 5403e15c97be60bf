import type { Geography } from '../../values/region';
import type { Caller, RegionHandle, Resolver, Sender } from '../ports';
import { checkRegionSpf } from '../spf/check-region';
import { spfRecordToPublish } from '../spf/record-to-publish';
import type { SpfVerdict } from '../spf/types';
import { getSender } from './get';

export interface SenderSpfGuidance {
  sender: Sender;
  verdict: SpfVerdict;
  geography: Geography;
  spfInclude: string;
  recordToPublish: string;
}

/** Evaluates the sender's domain now and says what to publish for this region's geography. */
export async function getSenderSpf(
  region: RegionHandle,
  caller: Caller,
  senderId: string,
  resolver: Resolver,
): Promise<SenderSpfGuidance> {
  const sender = await getSender(region, caller, senderId);
  const verdict = await checkRegionSpf(resolver, region.descriptor, sender.emailAddress);
  const { geography, spfInclude } = region.descriptor;
  return { sender, verdict, geography, spfInclude, recordToPublish: spfRecordToPublish(spfInclude) };
}
