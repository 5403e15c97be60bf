import { newEtag } from '../../values/etag';
import type { ListOptions, Page } from '../../values/page';
import { DomainError } from '../errors';
import { newOcid } from '../ocid';
import type { Caller, DefinedTags, FreeformTags, RegionHandle, Resolver, Runtime } from '../ports';
import { SPF_CHECK_AT_CREATE_MS } from '../senders/create';
import { checkRegionSpf } from '../spf/check-region';
import { emailDomainName } from './dns-names';
import type { EmailDomain, EmailDomainState, NamedFilter, ResourceSortBy } from './ports';
import {
  changeResource,
  lockActions,
  updating,
  liveResource,
  readResource,
  type ResourceKind,
} from './resource-changes';
import { finishedWork, requireDomainGrant, earlierCreate, retryKeyOf, type Worked } from './work';

export interface CreateEmailDomainInput {
  name: string;
  compartmentId: string;
  description?: string | undefined;
  domainVerificationId?: string | undefined;
  freeformTags?: FreeformTags | undefined;
  definedTags?: DefinedTags | undefined;
}

export type UpdateEmailDomainInput = Pick<
  CreateEmailDomainInput,
  'description' | 'domainVerificationId' | 'freeformTags' | 'definedTags'
>;

const what = (id: string) => `Email domain ${id}`;

/** Whether the domain's SPF record authorizes the region: a slow resolver answers false, the check job corrects it. */
export async function domainAuthorizesRegion(
  resolver: Resolver,
  region: RegionHandle,
  domainName: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const verdict = await checkRegionSpf(resolver, region.descriptor, `postmaster@${domainName}`, signal);
  return verdict.authorized;
}

export async function createEmailDomain(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  input: CreateEmailDomainInput,
  resolver: Resolver,
  retryToken: string | undefined,
): Promise<Worked<EmailDomain>> {
  const { compartmentId } = input;
  await requireDomainGrant(caller, 'manage', compartmentId, `Compartment ${compartmentId}`);
  const name = emailDomainName(input.name);
  const repository = region.store.forTenancy(caller.tenancyId).emailDomains;
  const retry = retryKeyOf(retryToken, { ...input, name });
  const earlier = await earlierCreate(repository, 'CREATE_EMAIL_DOMAIN', retry, (id) =>
    repository.findDomain(id),
  );
  if (earlier) return earlier;
  const isSpf = await domainAuthorizesRegion(
    resolver,
    region,
    name,
    AbortSignal.timeout(SPF_CHECK_AT_CREATE_MS),
  );
  const now = rt.clock.now();
  const domain: EmailDomain = {
    id: newOcid(rt.ids, 'emaildomain', region.descriptor.realm, region.id),
    compartmentId,
    name,
    lifecycleState: 'ACTIVE',
    description: input.description ?? null,
    domainVerificationId: input.domainVerificationId ?? null,
    activeDkimId: null,
    isSpf,
    freeformTags: input.freeformTags ?? {},
    definedTags: input.definedTags ?? {},
    locks: [],
    etag: newEtag(rt.ids),
    timeCreated: now,
    timeUpdated: now,
  };
  const work = finishedWork(
    rt,
    region,
    'CREATE_EMAIL_DOMAIN',
    compartmentId,
    { entityType: 'emailDomain', id: domain.id, actionType: 'CREATED' },
    `Created email domain ${name}`,
  );
  const result = await repository.insertDomain(domain, work, retry);
  if (result === 'duplicate') {
    throw new DomainError('Conflict', `An email domain named ${name} already exists in region ${region.id}`);
  }
  rt.logger.info('email-domain.created', { region: region.id, emailDomainId: result.id, spf: isSpf });
  return { resource: result, workRequestId: work.id };
}

/** Email domains as the shared change steps see them. */
const emailDomains: ResourceKind<EmailDomain> = {
  entityType: 'emailDomain',
  what,
  find: (repository, id) => repository.findDomain(id),
  update: (repository, id, changes, expectedEtag, work, spec) =>
    repository.updateDomain(id, changes, expectedEtag, work, spec.cascade),
};

/** A live email domain the caller may `verb`; what it may not see answers like what does not exist. */
export const liveEmailDomain = (region: RegionHandle, caller: Caller, id: string, verb: 'read' | 'manage') =>
  liveResource(emailDomains, region, caller, id, verb);

/** A deleted domain still answers, as DELETED: that is how the SDK's waiter sees a delete finish. */
export const getEmailDomain = (region: RegionHandle, caller: Caller, id: string) =>
  readResource(emailDomains, region, caller, id);

export async function listEmailDomains(
  region: RegionHandle,
  caller: Caller,
  filter: NamedFilter<EmailDomainState> & { compartmentId: string },
  options: ListOptions<ResourceSortBy>,
): Promise<Page<EmailDomain>> {
  const { compartmentId } = filter;
  await requireDomainGrant(caller, 'inspect', compartmentId, `Compartment ${compartmentId}`);
  return region.store.forTenancy(caller.tenancyId).emailDomains.listDomains(filter, options);
}

export function updateEmailDomain(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  input: UpdateEmailDomainInput,
  ifMatch: string | undefined,
  overrideLocks: boolean | undefined,
) {
  return changeResource(
    rt,
    region,
    caller,
    emailDomains,
    id,
    updating<EmailDomain>('UPDATE_EMAIL_DOMAIN', input, overrideLocks),
    ifMatch,
  );
}

/** Deletes the domain with its DKIMs and return paths: its mail is no longer signed. */
export function deleteEmailDomain(
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
    emailDomains,
    id,
    {
      kind: 'delete',
      operationType: 'DELETE_EMAIL_DOMAIN',
      overrideLocks,
      changes: () => ({ lifecycleState: 'DELETED', activeDkimId: null }),
      cascade: { deleted: true },
      log: 'Deleted the email domain, its DKIMs and its return paths',
    },
    ifMatch,
  );
}

/** Moves the domain and, as OCI does, its DKIMs and return paths; the caller must manage both compartments. */
export async function changeEmailDomainCompartment(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  compartmentId: string,
  ifMatch: string | undefined,
  overrideLocks: boolean | undefined,
) {
  await requireDomainGrant(caller, 'manage', compartmentId, `Compartment ${compartmentId}`);
  return changeResource(
    rt,
    region,
    caller,
    emailDomains,
    id,
    {
      kind: 'update',
      operationType: 'MOVE_EMAIL_DOMAIN',
      overrideLocks,
      changes: () => ({ compartmentId }),
      cascade: { compartmentId },
      log: `Moved to compartment ${compartmentId}`,
    },
    ifMatch,
  );
}

export const { add: addEmailDomainLock, remove: removeEmailDomainLock } = lockActions(emailDomains);
