import type { SenderSpfGuidance } from '../domain/senders/get-spf';

/** Our extension's body for `GET /senders/{senderId}/spf`: the live verdict and what to publish. */
export function senderSpfWire(guidance: SenderSpfGuidance) {
  const { sender, verdict } = guidance;
  return {
    senderId: sender.id,
    emailAddress: sender.emailAddress,
    domain: verdict.domain,
    isSpf: sender.isSpf,
    authorized: verdict.authorized,
    result: verdict.result,
    reason: verdict.reason,
    record: verdict.record,
    lookupCount: verdict.lookupCount,
    voidLookupCount: verdict.voidLookupCount,
    geography: guidance.geography,
    spfInclude: guidance.spfInclude,
    recordToPublish: guidance.recordToPublish,
  };
}
