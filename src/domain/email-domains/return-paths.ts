import { newEtag } from '../../values/etag';
import type { ListOptions, Page } from '../../values/page';
import { DomainError, invalid } from '../errors';
import { newOcid } from '../ocid';
import type { Caller, DefinedTags, FreeformTags, RegionHandle, Runtime } from '../ports';
import { emailDomainName, suggestedReturnPath } from './dns-names';
import { liveEmailDomain } from './email-domains';
import type { EmailReturnPath, NamedFilter, ResourceSortBy, ReturnPathState } from './ports';
import { checkReturnPathNow, type RecordCheckDeps } from './record-checks';
import { changeResource, lockActions, updating, readResource, type ResourceKind } from './resource-changes';
import { finishedWork, requireDomainGrant, earlierCreate, retryKeyOf, type Worked } from './work';

export interface CreateReturnPathInput {
  parentResourceId: string;
  name?: string | undefined;
  description?: string | undefined;
  freeformTags?: FreeformTags | undefined;
  definedTags?: DefinedTags | undefined;
}

export type UpdateReturnPathInput = Pick<
  CreateReturnPathInput,
  'description' | 'freeformTags' | 'definedTags'
>;

const what = (id: string) => `Email return path ${id}`;

/**
 * Creates a return path under an email domain: once ACTIVE, copies from the domain leave with an envelope
 * sender under it that names the copy, so a bounce sent there later finds its recipient.
 */
export async function createReturnPath(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  input: CreateReturnPathInput,
  deps: RecordCheckDeps,
  retryToken: string | undefined,
): Promise<Worked<EmailReturnPath>> {
  const domain = await liveEmailDomain(region, caller, input.parentResourceId, 'manage');
  const name =
    input.name === undefined
      ? suggestedReturnPath(domain.name, region.descriptor)
      : emailDomainName(input.name);
  if (!name.endsWith(`.${domain.name}`)) {
    throw invalid('name', `must be a subdomain of the email domain ${domain.name}`);
  }
  const repository = region.store.forTenancy(caller.tenancyId).emailDomains;
  const retry = retryKeyOf(retryToken, { ...input, name });
  const earlier = await earlierCreate(repository, 'CREATE_RETURN_PATH', retry, (id) =>
    repository.findReturnPath(id),
  );
  if (earlier) return earlier;
  const now = rt.clock.now();
  const returnPath: EmailReturnPath = {
    id: newOcid(rt.ids, 'emailreturnpath', region.descriptor.realm, region.id),
    compartmentId: domain.compartmentId,
    parentResourceId: domain.id,
    domainName: domain.name,
    name,
    lifecycleState: 'CREATING',
    lifecycleDetails: 'Waiting for the return path records to be published',
    description: input.description ?? null,
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    locks: [],
    etag: newEtag(rt.ids),
    timeCreated: now,
    timeUpdated: now,
    nextCheckAt: now,
  };
  const work = finishedWork(
    rt,
    region,
    'CREATE_RETURN_PATH',
    domain.compartmentId,
    { entityType: 'emailReturnPath', id: returnPath.id, actionType: 'CREATED' },
    `Created return path ${name} for ${domain.name}`,
  );
  const result = await repository.insertReturnPath(returnPath, work, retry);
  if (result === 'duplicate') throw new DomainError('Conflict', `A return path named ${name} already exists`);
  rt.logger.info('return-path.created', { region: region.id, returnPathId: result.id });
  const checked = await checkReturnPathNow(rt, region, caller.tenancyId, result, deps);
  return { resource: checked ?? result, workRequestId: work.id };
}

/** Return paths as the shared change steps see them. */
const returnPaths: ResourceKind<EmailReturnPath> = {
  entityType: 'emailReturnPath',
  what,
  find: (repository, id) => repository.findReturnPath(id),
  update: (repository, id, changes, expectedEtag, work) =>
    repository.updateReturnPath(id, changes, expectedEtag, work),
};

/** A deleted return path still answers, as DELETED, for the SDK's waiter. */
export const getReturnPath = (region: RegionHandle, caller: Caller, id: string) =>
  readResource(returnPaths, region, caller, id);

/** Lists by compartment or by email domain; one of the two is required. */
export async function listReturnPaths(
  region: RegionHandle,
  caller: Caller,
  filter: NamedFilter<ReturnPathState> & {
    compartmentId?: string | undefined;
    parentResourceId?: string | undefined;
  },
  options: ListOptions<ResourceSortBy>,
): Promise<Page<EmailReturnPath>> {
  const { compartmentId, parentResourceId, ...rest } = filter;
  if (parentResourceId !== undefined) {
    const domain = await liveEmailDomain(region, caller, parentResourceId, 'read');
    if (compartmentId !== undefined && compartmentId !== domain.compartmentId) return { items: [] };
    return region.store
      .forTenancy(caller.tenancyId)
      .emailDomains.listReturnPaths({ ...rest, parentResourceId }, options);
  }
  if (compartmentId === undefined) {
    throw new DomainError('MissingParameter', 'compartmentId or parentResourceId is required');
  }
  await requireDomainGrant(caller, 'inspect', compartmentId, `Compartment ${compartmentId}`);
  return region.store
    .forTenancy(caller.tenancyId)
    .emailDomains.listReturnPaths({ ...rest, compartmentId }, options);
}

export function updateReturnPath(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  input: UpdateReturnPathInput,
  ifMatch: string | undefined,
  overrideLocks: boolean | undefined,
) {
  return changeResource(
    rt,
    region,
    caller,
    returnPaths,
    id,
    updating<EmailReturnPath>('UPDATE_RETURN_PATH', input, overrideLocks),
    ifMatch,
  );
}

export function deleteReturnPath(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
  overrideLocks: boolean | undefined,
) {
  return changeResource(
    rt,
    region,
    caller,
    returnPaths,
    id,
    {
      kind: 'delete',
      operationType: 'DELETE_RETURN_PATH',
      overrideLocks,
      changes: () => ({ lifecycleState: 'DELETED', nextCheckAt: null }),
      log: 'Deleted; copies leave with the approved sender as envelope sender again',
    },
    ifMatch,
  );
}

export const { add: addReturnPathLock, remove: removeReturnPathLock } = lockActions(returnPaths);
