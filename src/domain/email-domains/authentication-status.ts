import { dkimTxtRecord } from '../../crypto/dkim-keys';
import type { Caller, RegionHandle, Resolver } from '../ports';
import { checkRegionSpf } from '../spf/check-region';
import { spfRecordToPublish } from '../spf/record-to-publish';
import type { SpfVerdict } from '../spf/types';
import { dkimRecordName } from './dns-names';
import { getEmailDomain } from './email-domains';
import type { Dkim, EmailDomain, EmailReturnPath } from './ports';

const LOOKUP_TIMEOUT_MS = 5_000;
const MAX_KEYS_LISTED = 20;

export interface DmarcRecord {
  /** Where it was found: the domain's own `_dmarc` name, or its organizational domain's. */
  name: string;
  record: string;
  policy: string;
  /** `r` (relaxed, the default) or `s` (strict). */
  adkim: string;
  aspf: string;
}

export interface DomainAuthentication {
  domain: EmailDomain;
  spf: { verdict: SpfVerdict; recordToPublish: string };
  /** The signing key and the records still to publish for the others (CREATING or NEEDS_ATTENTION). */
  dkim: { active: Dkim | undefined; pending: Dkim[] };
  returnPath: EmailReturnPath | undefined;
  dmarc: DmarcRecord | undefined;
  /** DMARC passes for mail from the domain: a DMARC record, and DKIM or SPF aligned with the From domain. */
  alignment: { dkim: boolean; spf: boolean };
  isAuthenticated: boolean;
  /** What to publish (name, type, value) before the domain's mail authenticates fully. */
  toPublish: { name: string; type: 'TXT'; value: string; why: string }[];
}

const tag = (record: string, name: string): string | undefined =>
  new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*([^;\\s]+)`, 'i').exec(record)?.[1]?.toLowerCase();

/** The domain's DMARC record, or its organizational domain's (approximated as its last two labels). */
async function findDmarc(resolver: Resolver, domainName: string, signal: AbortSignal) {
  const organizational = domainName.split('.').slice(-2).join('.');
  for (const name of [...new Set([domainName, organizational])].map((d) => `_dmarc.${d}`)) {
    const answer = await resolver.lookup(name, 'TXT', signal);
    if (answer.kind !== 'records') continue;
    const record = answer.records.find((text) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(text));
    if (record) {
      return {
        name,
        record,
        policy: tag(record, 'p') ?? 'none',
        adkim: tag(record, 'adkim') ?? 'r',
        aspf: tag(record, 'aspf') ?? 'r',
      };
    }
  }
  return undefined;
}

/**
 * Whether mail from the domain authenticates at receivers that apply DMARC: SPF for the region, the
 * signing DKIM, the return path (SPF alignment) and the DMARC record, each looked up now; and what is
 * still to publish.
 */
export async function getDomainAuthentication(
  region: RegionHandle,
  caller: Caller,
  emailDomainId: string,
  resolver: Resolver,
): Promise<DomainAuthentication> {
  const domain = await getEmailDomain(region, caller, emailDomainId);
  const repository = region.store.forTenancy(caller.tenancyId).emailDomains;
  const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS);
  const [verdict, dkims, returnPaths, dmarc] = await Promise.all([
    checkRegionSpf(resolver, region.descriptor, `postmaster@${domain.name}`, signal),
    repository.listDkims(
      { emailDomainId: domain.id },
      { sortBy: 'TIMECREATED', sortOrder: 'DESC', limit: MAX_KEYS_LISTED },
    ),
    repository.listReturnPaths(
      { parentResourceId: domain.id },
      { sortBy: 'TIMECREATED', sortOrder: 'DESC', limit: MAX_KEYS_LISTED },
    ),
    findDmarc(resolver, domain.name, signal),
  ]);
  const active = dkims.items.find((dkim) => dkim.id === domain.activeDkimId);
  const pending = dkims.items.filter(
    (d) => d.lifecycleState === 'CREATING' || d.lifecycleState === 'NEEDS_ATTENTION',
  );
  const returnPath = returnPaths.items.find((r) => r.lifecycleState === 'ACTIVE') ?? returnPaths.items[0];
  const returnPathActive = returnPath?.lifecycleState === 'ACTIVE';
  // The signature's d= is the domain itself; a return path is a subdomain, aligned only under relaxed SPF.
  const alignment = { dkim: active !== undefined, spf: returnPathActive && (dmarc?.aspf ?? 'r') === 'r' };
  const recordToPublish = spfRecordToPublish(region.descriptor.spfInclude);
  const toPublish: DomainAuthentication['toPublish'] = [];
  if (!verdict.authorized) {
    toPublish.push({ name: domain.name, type: 'TXT', value: recordToPublish, why: 'SPF for this region' });
  }
  for (const dkim of pending) {
    toPublish.push({
      name: dkimRecordName(dkim.name, dkim.domainName),
      type: 'TXT',
      value: dkimTxtRecord(dkim.publicKey),
      why: `DKIM ${dkim.name}`,
    });
  }
  if (returnPath && !returnPathActive) {
    toPublish.push({
      name: returnPath.name,
      type: 'TXT',
      value: recordToPublish,
      why: 'SPF for the return path',
    });
  }
  if (!dmarc) {
    toPublish.push({
      name: `_dmarc.${domain.name}`,
      type: 'TXT',
      value: `v=DMARC1; p=none; rua=mailto:postmaster@${domain.name}`,
      why: 'DMARC (start with p=none, then quarantine or reject once reports look right)',
    });
  }
  return {
    domain,
    spf: { verdict, recordToPublish },
    dkim: { active, pending },
    returnPath,
    dmarc,
    alignment,
    isAuthenticated: dmarc !== undefined && (alignment.dkim || alignment.spf),
    toPublish,
  };
}
