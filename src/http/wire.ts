import type { Caller, Sender, Suppression } from '../domain/ports';

/** OCI timestamps: RFC 3339 in UTC with milliseconds. */
const time = (date: Date): string => date.toISOString();

export function senderSummaryWire(sender: Sender) {
  return {
    id: sender.id,
    compartmentId: sender.compartmentId,
    emailAddress: sender.emailAddress,
    lifecycleState: sender.lifecycleState,
    timeCreated: time(sender.timeCreated),
    ...(sender.emailIpPoolId ? { emailIpPoolId: sender.emailIpPoolId } : {}),
    freeformTags: sender.freeformTags,
    definedTags: sender.definedTags,
    systemTags: {},
    locks: sender.locks.map((lock) => ({ ...lock, timeCreated: time(lock.timeCreated) })),
  };
}

export function senderWire(sender: Sender) {
  return { ...senderSummaryWire(sender), isSpf: sender.isSpf };
}

export function suppressionSummaryWire(caller: Caller, suppression: Suppression) {
  return {
    id: suppression.id,
    compartmentId: caller.tenancyId,
    emailAddress: suppression.emailAddress,
    reason: suppression.reason,
    timeCreated: time(suppression.timeCreated),
  };
}

export function suppressionWire(caller: Caller, suppression: Suppression) {
  return {
    ...suppressionSummaryWire(caller, suppression),
    timeLastSuppressed: time(suppression.timeLastSuppressed),
    ...(suppression.messageId ? { messageId: suppression.messageId } : {}),
    ...(suppression.errorDetail ? { errorDetail: suppression.errorDetail } : {}),
    ...(suppression.errorSource ? { errorSource: suppression.errorSource } : {}),
  };
}

/** `if-match` as the SDK sends it (verbatim, possibly quoted or weak) reduced to our etag value. */
export function ifMatchOf(header: string | undefined): string | undefined {
  if (header === undefined || header === '' || header === '*') return undefined;
  return header.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
