import { HOUR_MS, MINUTE_MS } from '../../values/durations';
import { newEtag } from '../../values/etag';
import type { RegionHandle, Resolver, Runtime } from '../ports';
import { checkRegionSpf } from '../spf/check-region';
import { dkimRecordName } from './dns-names';
import type { Dkim, EmailReturnPath } from './ports';

export interface RecordCheckDeps {
  resolver: Resolver;
}

const CHECK_TIMEOUT_MS = 5_000; // one slow name must not hold the others; a timeout is checked again soon
const CHECKS_PER_RUN = 200;
const EAGER_PERIOD_MS = HOUR_MS; // someone who has just published a record is waiting for it

export type RecordVerdict = { kind: 'found' } | { kind: 'missing'; reason: string } | { kind: 'temperror' };

/** The tags of a DKIM key record (RFC 6376 section 3.6.1), whitespace inside `p=` removed. */
function keyRecordTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) tags.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** Whether the selector's name publishes this DKIM's public key, directly or through a CNAME. */
export async function lookupDkimRecord(
  resolver: Resolver,
  dkim: Dkim,
  signal?: AbortSignal,
): Promise<RecordVerdict> {
  const name = dkimRecordName(dkim.name, dkim.domainName);
  const answer = await resolver.lookup(name, 'TXT', signal);
  if (answer.kind === 'temperror') return { kind: 'temperror' };
  if (answer.kind === 'empty') return { kind: 'missing', reason: `No TXT record is published at ${name}` };
  const keys = answer.records.map(keyRecordTags).filter((tags) => tags.has('p'));
  if (keys.some((tags) => tags.get('p') === dkim.publicKey && (tags.get('k') ?? 'rsa') === 'rsa')) {
    return { kind: 'found' };
  }
  return {
    kind: 'missing',
    reason: `The TXT record at ${name} does not hold this DKIM's public key (publish txtRecordValue there)`,
  };
}

/** A return path is in use once its name's SPF record authorizes the region (receivers check MAIL FROM's domain). */
export async function lookupReturnPathRecord(
  resolver: Resolver,
  region: RegionHandle,
  returnPath: EmailReturnPath,
  signal?: AbortSignal,
): Promise<RecordVerdict> {
  const verdict = await checkRegionSpf(resolver, region.descriptor, `postmaster@${returnPath.name}`, signal);
  if (verdict.authorized) return { kind: 'found' };
  if (verdict.result === 'temperror') return { kind: 'temperror' };
  return {
    kind: 'missing',
    reason: `The SPF record of ${returnPath.name} does not authorize region ${region.id}: ${verdict.reason}`,
  };
}

/** When to look again: soon while a new record may appear or DNS failed, hourly once settled. */
function nextCheck(now: Date, created: Date, verdict: RecordVerdict): Date {
  const young = now.getTime() - created.getTime() < EAGER_PERIOD_MS;
  const soon = verdict.kind === 'temperror' || (verdict.kind === 'missing' && young);
  return new Date(now.getTime() + (soon ? MINUTE_MS : HOUR_MS));
}

interface Checked<S extends string> {
  id: string;
  lifecycleState: S;
  lifecycleDetails: string | null;
  etag: string;
  timeCreated: Date;
  timeUpdated: Date;
}

/**
 * What a check changes: found is ACTIVE, missing NEEDS_ATTENTION with the reason, a DNS failure nothing
 * but the next check. Only a change of state or reason gets a new etag.
 */
function checkedFields<S extends string>(rt: Runtime, resource: Checked<S>, verdict: RecordVerdict) {
  const now = rt.clock.now();
  const state: S | 'ACTIVE' | 'NEEDS_ATTENTION' =
    verdict.kind === 'found'
      ? 'ACTIVE'
      : verdict.kind === 'missing'
        ? 'NEEDS_ATTENTION'
        : resource.lifecycleState;
  const details =
    verdict.kind === 'found' ? null : verdict.kind === 'missing' ? verdict.reason : resource.lifecycleDetails;
  const changed = state !== resource.lifecycleState || details !== resource.lifecycleDetails;
  return {
    changed,
    activated: state === 'ACTIVE' && resource.lifecycleState !== 'ACTIVE',
    fields: {
      lifecycleState: state,
      lifecycleDetails: details,
      nextCheckAt: nextCheck(now, resource.timeCreated, verdict),
      etag: changed ? newEtag(rt.ids) : resource.etag,
      timeUpdated: changed ? now : resource.timeUpdated,
    },
  };
}

/** Records a DKIM's check; an ACTIVE key signs once it is the domain's newest ACTIVE one. */
async function recordDkimCheck(
  rt: Runtime,
  region: RegionHandle,
  tenancyId: string,
  dkim: Dkim,
  verdict: RecordVerdict,
) {
  const { changed, activated, fields } = checkedFields(rt, dkim, verdict);
  const result = await region.store
    .forTenancy(tenancyId)
    .emailDomains.updateDkim(
      dkim.id,
      { ...fields, ...(activated ? { timeActivated: rt.clock.now() } : {}) },
      dkim.etag,
      undefined,
    );
  if (changed)
    rt.logger.info('dkim.checked', { region: region.id, dkimId: dkim.id, state: fields.lifecycleState });
  return typeof result === 'string' ? undefined : result;
}

async function recordReturnPathCheck(
  rt: Runtime,
  region: RegionHandle,
  tenancyId: string,
  returnPath: EmailReturnPath,
  verdict: RecordVerdict,
) {
  const { changed, fields } = checkedFields(rt, returnPath, verdict);
  const result = await region.store
    .forTenancy(tenancyId)
    .emailDomains.updateReturnPath(returnPath.id, fields, returnPath.etag, undefined);
  if (changed) {
    rt.logger.info('return-path.checked', {
      region: region.id,
      returnPathId: returnPath.id,
      state: fields.lifecycleState,
    });
  }
  return typeof result === 'string' ? undefined : result;
}

/** Checks one DKIM's record now (as it is created) and records the verdict; undefined if it changed meanwhile. */
export async function checkDkimNow(
  rt: Runtime,
  region: RegionHandle,
  tenancyId: string,
  dkim: Dkim,
  deps: RecordCheckDeps,
): Promise<Dkim | undefined> {
  const verdict = await lookupDkimRecord(deps.resolver, dkim, AbortSignal.timeout(CHECK_TIMEOUT_MS));
  return recordDkimCheck(rt, region, tenancyId, dkim, verdict);
}

export async function checkReturnPathNow(
  rt: Runtime,
  region: RegionHandle,
  tenancyId: string,
  returnPath: EmailReturnPath,
  deps: RecordCheckDeps,
): Promise<EmailReturnPath | undefined> {
  const verdict = await lookupReturnPathRecord(
    deps.resolver,
    region,
    returnPath,
    AbortSignal.timeout(CHECK_TIMEOUT_MS),
  );
  return recordReturnPathCheck(rt, region, tenancyId, returnPath, verdict);
}

/**
 * The check job: every DKIM and return path whose check is due, across tenancies. A record not found yet is
 * looked for every minute during its first hour, hourly after; a found one is rechecked hourly.
 */
export async function checkDueRecords(
  rt: Runtime,
  region: RegionHandle,
  deps: RecordCheckDeps,
): Promise<{ checked: number }> {
  const due = await region.store.emailDomainUpkeep.due(rt.clock.now(), CHECKS_PER_RUN);
  for (const dkim of due.dkims) await checkDkimNow(rt, region, dkim.tenancyId, dkim, deps);
  for (const returnPath of due.returnPaths) {
    await checkReturnPathNow(rt, region, returnPath.tenancyId, returnPath, deps);
  }
  return { checked: due.dkims.length + due.returnPaths.length };
}
