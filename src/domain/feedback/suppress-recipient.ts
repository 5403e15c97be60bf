import { normalizeAddress } from '../email-address';
import { newOcid } from '../ocid';
import type { RegionHandle, Runtime, Suppression } from '../ports';
import type { SuppressionReason } from './ports';

/** The event every automatic suppression writes. */
export const SUPPRESSION_EVENT = 'suppression.added';

/** Longest errorDetail kept: two RFC 5321 reply lines, or a DSN diagnostic of the same size. */
export const MAX_ERROR_DETAIL = 1_024;
const MAX_ERROR_SOURCE = 253; // a DNS name

export interface SuppressionCause {
  tenancyId: string;
  emailAddress: string;
  reason: Exclude<SuppressionReason, 'MANUAL' | 'UNKNOWN'>;
  errorDetail: string | null;
  errorSource: string | null;
  /** Without angle brackets. */
  messageId: string | null;
  /** What reported it: relay, dsn, arf, unsubscribe, simulator. */
  via: string;
}

const stripBrackets = (id: string): string => id.trim().replace(/^<|>$/g, '');

/** Adds the address to the tenancy's list in this region, or updates its one entry, and says so in a log line. */
export async function suppressRecipient(
  rt: Runtime,
  region: RegionHandle,
  cause: SuppressionCause,
): Promise<Suppression> {
  const now = rt.clock.now();
  const emailAddress = normalizeAddress(cause.emailAddress);
  const suppressions = region.store.forTenancy(cause.tenancyId).suppressions;
  const suppression = await suppressions.upsert({
    id: newOcid(rt.ids, 'emailsuppression', region.descriptor.realm, region.id),
    emailAddress,
    reason: cause.reason,
    errorDetail: cause.errorDetail?.slice(0, MAX_ERROR_DETAIL) ?? null,
    errorSource: cause.errorSource?.slice(0, MAX_ERROR_SOURCE) ?? null,
    messageId: cause.messageId === null ? null : stripBrackets(cause.messageId),
    timeCreated: now,
    timeLastSuppressed: now,
  });
  await suppressions.clearSoftBounces(emailAddress);
  rt.logger.info(SUPPRESSION_EVENT, {
    region: region.id,
    suppressionId: suppression.id,
    reason: cause.reason,
    via: cause.via,
    recipient: emailAddress,
    messageId: suppression.messageId,
    errorSource: suppression.errorSource,
    errorDetail: suppression.errorDetail,
  });
  return suppression;
}
