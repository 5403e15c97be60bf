import { domainOf } from '../email-address';
import type { Resolver } from '../ports';
import { evaluateSpf } from './check-host';
import { parseIp } from './ip-address';
import type { SpfEvaluation, SpfVerdict } from './types';

/** What the verdict needs of a region: its geography's include host, SMTP name and optional sending addresses. */
export interface SpfRegion {
  spfInclude: string;
  smtp: { host: string };
  outboundAddresses?: readonly string[] | undefined;
}

/**
 * Authorized when the domain's policy passes the region's infrastructure: its evaluation reaches include: or
 * redirect= of the geography's host with a pass (+) qualifier, or every configured outbound address passes.
 */
export async function checkRegionSpf(
  resolver: Resolver,
  region: SpfRegion,
  senderAddress: string,
  signal?: AbortSignal,
): Promise<SpfVerdict> {
  const domain = domainOf(senderAddress);
  const request = { domain, sender: senderAddress, helo: region.smtp.host, signal };
  const includeHost = region.spfInclude.toLowerCase();
  const infrastructure = await evaluateSpf(resolver, {
    ...request,
    client: { kind: 'infrastructure', includeHost },
  });
  const verdict = (evaluation: SpfEvaluation, authorized: boolean): SpfVerdict => ({
    ...evaluation,
    domain,
    authorized,
  });
  if (infrastructure.result === 'pass') return verdict(infrastructure, true);

  const addresses = (region.outboundAddresses ?? []).flatMap((text) => parseIp(text) ?? []);
  if (addresses.length === 0 || !['fail', 'softfail', 'neutral'].includes(infrastructure.result)) {
    return verdict(infrastructure, false);
  }
  let lookupCount = 0;
  let voidLookupCount = 0;
  for (const ip of addresses) {
    const byAddress = await evaluateSpf(resolver, { ...request, client: { kind: 'address', ip } });
    lookupCount = Math.max(lookupCount, byAddress.lookupCount);
    voidLookupCount = Math.max(voidLookupCount, byAddress.voidLookupCount);
    if (byAddress.result === 'temperror') return verdict(byAddress, false);
    if (byAddress.result !== 'pass') return verdict(infrastructure, false);
  }
  const reason = `every outbound address of the region passes (${(region.outboundAddresses ?? []).join(', ')})`;
  return verdict({ ...infrastructure, result: 'pass', reason, lookupCount, voidLookupCount }, true);
}
