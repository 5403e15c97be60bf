import { dkimTxtRecord } from '../crypto/dkim-keys';
import { delegatedName, dkimRecordName } from '../domain/email-domains/dns-names';
import type { DomainAuthentication } from '../domain/email-domains/authentication-status';
import type {
  Dkim,
  EmailDomain,
  EmailReturnPath,
  ResourceLock,
  WorkRequest,
  WorkRequestEntry,
} from '../domain/email-domains/ports';
import type { RegionDescriptor } from '../values/region';

const time = (date: Date): string => date.toISOString();
const optional = <K extends string>(key: K, value: string | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

const locksWire = (locks: readonly ResourceLock[]) =>
  locks.map((lock) => ({ ...lock, timeCreated: time(lock.timeCreated) }));

const tags = (resource: Pick<EmailDomain, 'freeformTags' | 'definedTags'>) => ({
  freeformTags: resource.freeformTags,
  definedTags: resource.definedTags,
  systemTags: {},
});

export function emailDomainSummaryWire(domain: EmailDomain) {
  return {
    id: domain.id,
    name: domain.name,
    compartmentId: domain.compartmentId,
    lifecycleState: domain.lifecycleState,
    ...optional('activeDkimId', domain.activeDkimId),
    ...optional('description', domain.description),
    timeCreated: time(domain.timeCreated),
    ...tags(domain),
    locks: locksWire(domain.locks),
  };
}

export function emailDomainWire(domain: EmailDomain) {
  return {
    ...emailDomainSummaryWire(domain),
    isSpf: domain.isSpf,
    domainVerificationStatus: domain.domainVerificationId === null ? 'NONE' : 'DOMAINID',
    ...optional('domainVerificationId', domain.domainVerificationId),
  };
}

export function dkimSummaryWire(dkim: Dkim) {
  return {
    id: dkim.id,
    name: dkim.name,
    emailDomainId: dkim.emailDomainId,
    compartmentId: dkim.compartmentId,
    lifecycleState: dkim.lifecycleState,
    ...optional('description', dkim.description),
    timeCreated: time(dkim.timeCreated),
    timeUpdated: time(dkim.timeUpdated),
    isImported: dkim.isImported,
    keyLength: dkim.keyLength,
    ...tags(dkim),
  };
}

/** The records to publish: the TXT at the selector's name, or a CNAME there when the operator serves a zone. */
export function dkimWire(dkim: Dkim, region: RegionDescriptor, delegationZone: string | undefined) {
  return {
    ...dkimSummaryWire(dkim),
    ...optional('lifecycleDetails', dkim.lifecycleDetails),
    dnsSubdomainName: `${dkimRecordName(dkim.name, dkim.domainName)}.`,
    ...optional(
      'cnameRecordValue',
      delegatedName(delegationZone, `${dkim.name}.${dkim.domainName}`, region, 'dkim'),
    ),
    txtRecordValue: dkimTxtRecord(dkim.publicKey),
  };
}

export function returnPathSummaryWire(returnPath: EmailReturnPath) {
  return {
    id: returnPath.id,
    name: returnPath.name,
    parentResourceId: returnPath.parentResourceId,
    compartmentId: returnPath.compartmentId,
    lifecycleState: returnPath.lifecycleState,
    ...optional('description', returnPath.description),
    timeCreated: time(returnPath.timeCreated),
    timeUpdated: time(returnPath.timeUpdated),
    ...tags(returnPath),
    locks: locksWire(returnPath.locks),
  };
}

export function returnPathWire(
  returnPath: EmailReturnPath,
  region: RegionDescriptor,
  delegationZone: string | undefined,
) {
  return {
    ...returnPathSummaryWire(returnPath),
    ...optional('lifecycleDetails', returnPath.lifecycleDetails),
    dnsSubdomainName: `${returnPath.name}.`,
    ...optional('cnameRecordValue', delegatedName(delegationZone, returnPath.name, region, 'rp')),
  };
}

export function workRequestWire(work: WorkRequest) {
  return {
    id: work.id,
    compartmentId: work.compartmentId,
    operationType: work.operationType,
    status: work.status,
    resources: work.resources,
    percentComplete: work.percentComplete,
    timeAccepted: time(work.timeAccepted),
    ...optional('timeStarted', work.timeStarted && time(work.timeStarted)),
    ...optional('timeFinished', work.timeFinished && time(work.timeFinished)),
  };
}

export const workEntryWire = (entry: WorkRequestEntry & { code?: string }) => ({
  ...(entry.code === undefined ? {} : { code: entry.code }),
  message: entry.message,
  timestamp: time(entry.timestamp),
});

/** Our extension's body for `GET /emailDomains/{id}/authentication`. */
export function domainAuthenticationWire(status: DomainAuthentication) {
  const { domain, spf, dkim, returnPath, dmarc } = status;
  return {
    emailDomainId: domain.id,
    name: domain.name,
    isAuthenticated: status.isAuthenticated,
    alignment: status.alignment,
    spf: {
      authorized: spf.verdict.authorized,
      result: spf.verdict.result,
      reason: spf.verdict.reason,
      ...optional('record', spf.verdict.record),
      recordToPublish: spf.recordToPublish,
    },
    dkim: {
      ...optional('activeDkimId', dkim.active?.id),
      ...optional('activeSelector', dkim.active?.name),
      pending: dkim.pending.map((key) => ({
        id: key.id,
        name: key.name,
        lifecycleState: key.lifecycleState,
        ...optional('lifecycleDetails', key.lifecycleDetails),
      })),
    },
    ...(returnPath
      ? {
          returnPath: { id: returnPath.id, name: returnPath.name, lifecycleState: returnPath.lifecycleState },
        }
      : {}),
    ...(dmarc ? { dmarc } : {}),
    toPublish: status.toPublish,
  };
}
