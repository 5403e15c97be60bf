import { normalizeAddress } from '../email-address';
import type { RegionHandle, Runtime, Suppression } from '../ports';
import type { ReplyVerdict } from './classify-reply';
import type { SoftBouncePolicy } from './policy';
import { suppressRecipient } from './suppress-recipient';

export interface Bounce {
  tenancyId: string;
  recipient: string;
  messageId: string;
  verdict: ReplyVerdict;
  /** The SMTP reply or DSN diagnostic. */
  detail: string;
  /** The remote or reporting MTA, when known. */
  source: string | null;
  via: string;
}

export type BounceResult =
  { kind: 'suppressed'; suppression: Suppression } | { kind: 'counted' | 'policy' | 'ignored' };

/**
 * A hard bounce suppresses the recipient at once; a soft one is counted and the `threshold`-th within the
 * window suppresses it; a policy rejection is the sender's problem, logged and never suppresses.
 */
export async function recordBounce(
  rt: Runtime,
  region: RegionHandle,
  policy: SoftBouncePolicy,
  bounce: Bounce,
): Promise<BounceResult> {
  const base = {
    tenancyId: bounce.tenancyId,
    emailAddress: bounce.recipient,
    errorDetail: bounce.detail,
    errorSource: bounce.source,
    messageId: bounce.messageId,
    via: bounce.via,
  };
  switch (bounce.verdict) {
    case 'hard':
      return {
        kind: 'suppressed',
        suppression: await suppressRecipient(rt, region, { ...base, reason: 'HARDBOUNCE' }),
      };
    case 'soft': {
      const count = await region.store
        .forTenancy(bounce.tenancyId)
        .suppressions.countSoftBounce(
          normalizeAddress(bounce.recipient),
          bounce.messageId,
          rt.clock.now(),
          policy.windowMs,
        );
      if (count < policy.threshold) {
        rt.logger.info('bounce.soft-counted', {
          region: region.id,
          recipient: normalizeAddress(bounce.recipient),
          messageId: bounce.messageId,
          count,
          via: bounce.via,
        });
        return { kind: 'counted' };
      }
      return {
        kind: 'suppressed',
        suppression: await suppressRecipient(rt, region, { ...base, reason: 'SOFTBOUNCE' }),
      };
    }
    case 'policy':
      rt.logger.warn('bounce.policy', {
        region: region.id,
        recipient: normalizeAddress(bounce.recipient),
        messageId: bounce.messageId,
        errorDetail: bounce.detail,
        via: bounce.via,
      });
      return { kind: 'policy' };
    case 'none':
      return { kind: 'ignored' };
  }
}
