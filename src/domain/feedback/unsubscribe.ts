import { DomainError } from '../errors';
import type { RegionHandle, Runtime, Suppression } from '../ports';
import { recordReaction } from '../events/record';
import { suppressRecipient } from './suppress-recipient';
import type { UnsubscribeClaims, UnsubscribeTokens } from './unsubscribe-token';

/** Every refusal looks the same, so a prober learns nothing about which part of a token was wrong. */
const refused = (): DomainError =>
  new DomainError('NotAuthorizedOrNotFound', 'This unsubscribe link is not valid');

/** The claims of a token this service sealed; a forged, altered or unknown-region token is refused. */
export async function readUnsubscribeToken(
  tokens: UnsubscribeTokens | undefined,
  openRegion: (id: string) => Promise<RegionHandle>,
  token: string,
): Promise<{ claims: UnsubscribeClaims; region: RegionHandle }> {
  const claims = tokens ? await tokens.open(token) : undefined;
  if (!claims) throw refused();
  try {
    return { claims, region: await openRegion(claims.region) };
  } catch {
    throw refused();
  }
}

/**
 * RFC 8058 one-click: suppresses the recipient (reason UNSUBSCRIBE) in the token's region and tenancy.
 * A replay of the same link finds its own entry and writes nothing.
 */
export async function unsubscribe(
  rt: Runtime,
  region: RegionHandle,
  claims: UnsubscribeClaims,
  via = 'unsubscribe',
): Promise<Suppression> {
  const suppressions = region.store.forTenancy(claims.tenancyId).suppressions;
  const { items } = await suppressions.list(
    { emailAddress: claims.recipient },
    { sortBy: 'TIMECREATED', sortOrder: 'DESC', limit: 1 },
  );
  const [existing] = items;
  if (existing?.reason === 'UNSUBSCRIBE' && existing.messageId === claims.messageId) {
    rt.logger.info('unsubscribe.replayed', { region: region.id, suppressionId: existing.id });
    return existing;
  }
  const suppression = await suppressRecipient(rt, region, {
    tenancyId: claims.tenancyId,
    emailAddress: claims.recipient,
    reason: 'UNSUBSCRIBE',
    errorDetail: `One-click unsubscribe from mail sent by ${claims.sender}`,
    errorSource: null,
    messageId: claims.messageId,
    via,
  });
  await recordReaction(rt, region, {
    tenancyId: claims.tenancyId,
    eventType: 'UNSUBSCRIBED',
    messageId: claims.messageId,
    sender: claims.sender,
    recipient: claims.recipient,
    detail: suppression.errorDetail,
    reportedBy: null,
  });
  return suppression;
}
