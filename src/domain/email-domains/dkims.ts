import { toBase64 } from '../../crypto/base64';
import { DkimKeyRefused, generateDkimKey, importDkimPrivateKey } from '../../crypto/dkim-keys';
import { newEtag } from '../../values/etag';
import { changeResource, updating, readResource, type ResourceKind } from './resource-changes';
import type { ListOptions, Page } from '../../values/page';
import { DomainError } from '../errors';
import { newOcid } from '../ocid';
import type { Caller, DefinedTags, FreeformTags, RegionHandle, Runtime, SecretBox } from '../ports';
import { dkimSelector, suggestedSelector } from './dns-names';
import { liveEmailDomain } from './email-domains';
import type { Dkim, DkimState, NamedFilter, ResourceSortBy } from './ports';
import { checkDkimNow, type RecordCheckDeps } from './record-checks';
import { finishedWork, earlierCreate, retryKeyOf, type Worked } from './work';

export interface CreateDkimInput {
  emailDomainId: string;
  name?: string | undefined;
  description?: string | undefined;
  privateKey?: string | undefined;
  freeformTags?: FreeformTags | undefined;
  definedTags?: DefinedTags | undefined;
}

export type UpdateDkimInput = Pick<CreateDkimInput, 'description' | 'freeformTags' | 'definedTags'>;

/** Creating DKIMs takes the key that seals private keys, and the resolver for their first check. */
export interface DkimDeps extends RecordCheckDeps {
  keys: SecretBox | undefined;
}

const what = (id: string) => `DKIM ${id}`;
const MAX_GENERATED_SELECTORS = 20; // one domain rarely holds more than two or three keys at once

/** The caller's PEM key, or InvalidParameter saying what is wrong with it (never quoting it). */
async function importedKey(pem: string) {
  try {
    return await importDkimPrivateKey(pem);
  } catch (error) {
    if (error instanceof DkimKeyRefused) throw new DomainError('InvalidParameter', error.message);
    throw error;
  }
}

/** A selector no live DKIM of the domain uses: OCI's suggested shape, with a counter when the day's is taken. */
async function freeSelector(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  domainId: string,
  domainName: string,
) {
  const taken = new Set(
    (
      await region.store
        .forTenancy(caller.tenancyId)
        .emailDomains.listDkims(
          { emailDomainId: domainId },
          { sortBy: 'TIMECREATED', sortOrder: 'DESC', limit: MAX_GENERATED_SELECTORS },
        )
    ).items.map((dkim) => dkim.name),
  );
  const base = suggestedSelector(domainName, region.descriptor, rt.clock.now());
  for (let n = 1; n <= MAX_GENERATED_SELECTORS; n++) {
    const selector = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(selector)) return selector;
  }
  return `${base}-${rt.ids.random(6)}`;
}

/**
 * Creates a DKIM for an email domain: a new RSA 2048 key, or the caller's, sealed at rest. It is CREATING
 * until its record is found in DNS (checked at once, then by the check job), then ACTIVE and the signer.
 */
export async function createDkim(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  input: CreateDkimInput,
  deps: DkimDeps,
  retryToken: string | undefined,
): Promise<Worked<Dkim>> {
  const domain = await liveEmailDomain(region, caller, input.emailDomainId, 'manage');
  if (!deps.keys) {
    throw new DomainError('InvalidParameter', 'DKIM is not available: the service has no SECRETS_KEY set');
  }
  const repository = region.store.forTenancy(caller.tenancyId).emailDomains;
  const retry = retryKeyOf(retryToken, input);
  const earlier = await earlierCreate(repository, 'CREATE_DKIM', retry, (id) => repository.findDkim(id));
  if (earlier) return earlier;
  const selector =
    input.name === undefined
      ? await freeSelector(rt, region, caller, domain.id, domain.name)
      : dkimSelector(input.name);
  const key = input.privateKey === undefined ? await generateDkimKey() : await importedKey(input.privateKey);
  const now = rt.clock.now();
  const dkim: Dkim = {
    id: newOcid(rt.ids, 'emaildkim', region.descriptor.realm, region.id),
    compartmentId: domain.compartmentId,
    emailDomainId: domain.id,
    domainName: domain.name,
    name: selector,
    lifecycleState: 'CREATING',
    lifecycleDetails: 'Waiting for the DKIM record to be published',
    description: input.description ?? null,
    isImported: input.privateKey !== undefined,
    keyLength: key.keyLength,
    publicKey: key.publicKeySpkiBase64,
    sealedPrivateKey: await deps.keys.seal(toBase64(key.privateKeyPkcs8)),
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    etag: newEtag(rt.ids),
    timeCreated: now,
    timeUpdated: now,
    timeActivated: null,
    nextCheckAt: now,
  };
  const work = finishedWork(
    rt,
    region,
    'CREATE_DKIM',
    domain.compartmentId,
    { entityType: 'dkim', id: dkim.id, actionType: 'CREATED' },
    `Created DKIM ${selector} for ${domain.name}`,
  );
  const result = await repository.insertDkim(dkim, work, retry);
  if (result === 'duplicate') {
    throw new DomainError(
      'Conflict',
      `Email domain ${domain.name} already has a DKIM with selector ${selector}`,
    );
  }
  rt.logger.info('dkim.created', { region: region.id, dkimId: result.id, imported: result.isImported });
  const checked = await checkDkimNow(rt, region, caller.tenancyId, result, deps);
  return { resource: checked ?? result, workRequestId: work.id };
}

/** DKIMs as the shared change steps see them. */
const dkims: ResourceKind<Dkim> = {
  entityType: 'dkim',
  what,
  find: (repository, id) => repository.findDkim(id),
  update: (repository, id, changes, expectedEtag, work) =>
    repository.updateDkim(id, changes, expectedEtag, work),
};

/** A deleted DKIM still answers, as DELETED, for the SDK's waiter. */
export const getDkim = (region: RegionHandle, caller: Caller, id: string) =>
  readResource(dkims, region, caller, id);

export async function listDkims(
  region: RegionHandle,
  caller: Caller,
  filter: NamedFilter<DkimState> & { emailDomainId: string },
  options: ListOptions<ResourceSortBy>,
): Promise<Page<Dkim>> {
  await liveEmailDomain(region, caller, filter.emailDomainId, 'read');
  return region.store.forTenancy(caller.tenancyId).emailDomains.listDkims(filter, options);
}

export function updateDkim(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  input: UpdateDkimInput,
  ifMatch: string | undefined,
) {
  return changeResource(rt, region, caller, dkims, id, updating<Dkim>('UPDATE_DKIM', input), ifMatch);
}

/** Deletes the key: it signs nothing from now on, and the domain's next newest ACTIVE key takes over. */
export function deleteDkim(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
) {
  return changeResource(
    rt,
    region,
    caller,
    dkims,
    id,
    {
      kind: 'delete',
      operationType: 'DELETE_DKIM',
      changes: () => ({ lifecycleState: 'DELETED', nextCheckAt: null, lifecycleDetails: null }),
      log: 'Deleted; its DNS record may be removed once mail in transit is delivered',
    },
    ifMatch,
  );
}
