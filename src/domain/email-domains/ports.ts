import type { ListOptions, Page } from '../../values/page';
import type { DefinedTags, FreeformTags, ResourceLock } from '../../values/resource';

export const emailDomainStates = ['ACTIVE', 'CREATING', 'DELETING', 'DELETED', 'FAILED', 'UPDATING'] as const;
export type EmailDomainState = (typeof emailDomainStates)[number];

export const dkimStates = [
  'ACTIVE',
  'CREATING',
  'DELETING',
  'DELETED',
  'FAILED',
  'INACTIVE',
  'NEEDS_ATTENTION',
  'UPDATING',
] as const;
export type DkimState = (typeof dkimStates)[number];

export const returnPathStates = [
  'ACTIVE',
  'CREATING',
  'DELETING',
  'DELETED',
  'FAILED',
  'NEEDS_ATTENTION',
  'UPDATING',
] as const;
export type ReturnPathState = (typeof returnPathStates)[number];

export type { ResourceLock };

/** What the three resources share: OCI's tags, an etag, and times. */
interface TaggedResource {
  id: string;
  compartmentId: string;
  name: string;
  description: string | null;
  freeformTags: FreeformTags;
  definedTags: DefinedTags;
  etag: string;
  timeCreated: Date;
  timeUpdated: Date;
}

export interface EmailDomain extends TaggedResource {
  lifecycleState: EmailDomainState;
  /** The DKIM that signs mail from this domain: the most recently activated ACTIVE one. */
  activeDkimId: string | null;
  /** Whether the domain's SPF record authorizes this region, as last checked. */
  isSpf: boolean;
  domainVerificationId: string | null;
  locks: readonly ResourceLock[];
}

export interface Dkim extends TaggedResource {
  emailDomainId: string;
  /** The email domain's name: where the selector's record lives, and the `d=` of signatures. */
  domainName: string;
  lifecycleState: DkimState;
  lifecycleDetails: string | null;
  isImported: boolean;
  keyLength: number;
  /** Base64 SubjectPublicKeyInfo: the `p=` of the record to publish. */
  publicKey: string;
  /** The PKCS#8 private key sealed under the key-encryption key; never leaves the store otherwise. */
  sealedPrivateKey: string;
  timeActivated: Date | null;
  nextCheckAt: Date | null;
}

export interface EmailReturnPath extends TaggedResource {
  parentResourceId: string;
  domainName: string;
  lifecycleState: ReturnPathState;
  lifecycleDetails: string | null;
  locks: readonly ResourceLock[];
  nextCheckAt: Date | null;
}

export const operationTypes = [
  'CREATE_DKIM',
  'DELETE_DKIM',
  'MOVE_DKIM',
  'UPDATE_DKIM',
  'CREATE_EMAIL_DOMAIN',
  'DELETE_EMAIL_DOMAIN',
  'MOVE_EMAIL_DOMAIN',
  'UPDATE_EMAIL_DOMAIN',
  'CREATE_RETURN_PATH',
  'DELETE_RETURN_PATH',
  'UPDATE_RETURN_PATH',
] as const;
export type OperationType = (typeof operationTypes)[number];

export const operationStatuses = [
  'ACCEPTED',
  'IN_PROGRESS',
  'WAITING',
  'NEEDS_ATTENTION',
  'FAILED',
  'SUCCEEDED',
  'CANCELING',
  'CANCELED',
] as const;
export type OperationStatus = (typeof operationStatuses)[number];

export type ActionType = 'CREATED' | 'UPDATED' | 'DELETED' | 'IN_PROGRESS' | 'RELATED' | 'FAILED';

export interface WorkRequestResource {
  entityType: 'emailDomain' | 'dkim' | 'emailReturnPath';
  actionType: ActionType;
  identifier: string;
  entityUri: string;
}

export interface WorkRequestEntry {
  message: string;
  timestamp: Date;
}

export interface WorkRequest {
  id: string;
  compartmentId: string;
  operationType: OperationType;
  status: OperationStatus;
  resources: WorkRequestResource[];
  percentComplete: number;
  timeAccepted: Date;
  timeStarted: Date | null;
  timeFinished: Date | null;
  logs: WorkRequestEntry[];
  errors: (WorkRequestEntry & { code: string })[];
}

/** An `opc-retry-token` and a digest of the request it came with: the same token and request answer the same. */
export interface RetryKey {
  token: string;
  digest: string;
}

export type RetryHit = { kind: 'same'; resourceId: string; workRequestId: string } | { kind: 'conflict' };

export interface NamedFilter<S> {
  id?: string | undefined;
  name?: string | undefined;
  lifecycleState?: S | undefined;
}

export type ResourceSortBy = 'TIMECREATED' | 'ID' | 'NAME';

export interface WorkRequestFilter {
  compartmentId: string;
  workRequestId?: string | undefined;
  status?: OperationStatus | undefined;
  operationType?: OperationType | undefined;
}

export type Change<T> = Partial<Omit<T, 'id' | 'etag' | 'timeUpdated' | 'timeCreated'>>;

export type WriteResult<T> = T | 'missing' | 'etag-mismatch';

/**
 * One tenancy's email domains, DKIMs, return paths and work requests in one region. Every write of a
 * resource is made in one transaction with its work request.
 */
export interface EmailDomainRepository {
  /** A work request created earlier with this retry token for the operation, if any. */
  findRetry(operationType: OperationType, key: RetryKey): Promise<RetryHit | undefined>;

  insertDomain(domain: EmailDomain, work: WorkRequest, retry?: RetryKey): Promise<EmailDomain | 'duplicate'>;
  findDomain(id: string): Promise<EmailDomain | undefined>;
  listDomains(
    filter: NamedFilter<EmailDomainState> & { compartmentId: string },
    options: ListOptions<ResourceSortBy>,
  ): Promise<Page<EmailDomain>>;
  /**
   * Applies `changes` when the stored etag is `expectedEtag`; with `cascade`, the domain's live DKIMs and
   * return paths take the same compartment or deletion.
   */
  updateDomain(
    id: string,
    changes: Change<EmailDomain> & { etag: string; timeUpdated: Date },
    expectedEtag: string,
    work: WorkRequest | undefined,
    cascade?: { compartmentId?: string; deleted?: boolean },
  ): Promise<WriteResult<EmailDomain>>;

  insertDkim(dkim: Dkim, work: WorkRequest, retry?: RetryKey): Promise<Dkim | 'duplicate'>;
  findDkim(id: string): Promise<Dkim | undefined>;
  listDkims(
    filter: NamedFilter<DkimState> & { emailDomainId: string },
    options: ListOptions<ResourceSortBy>,
  ): Promise<Page<Dkim>>;
  updateDkim(
    id: string,
    changes: Change<Dkim> & { etag: string; timeUpdated: Date },
    expectedEtag: string,
    work: WorkRequest | undefined,
  ): Promise<WriteResult<Dkim>>;

  insertReturnPath(
    returnPath: EmailReturnPath,
    work: WorkRequest,
    retry?: RetryKey,
  ): Promise<EmailReturnPath | 'duplicate'>;
  findReturnPath(id: string): Promise<EmailReturnPath | undefined>;
  listReturnPaths(
    filter: NamedFilter<ReturnPathState> & { compartmentId?: string; parentResourceId?: string },
    options: ListOptions<ResourceSortBy>,
  ): Promise<Page<EmailReturnPath>>;
  updateReturnPath(
    id: string,
    changes: Change<EmailReturnPath> & { etag: string; timeUpdated: Date },
    expectedEtag: string,
    work: WorkRequest | undefined,
  ): Promise<WriteResult<EmailReturnPath>>;

  findWorkRequest(id: string): Promise<WorkRequest | undefined>;
  listWorkRequests(
    filter: WorkRequestFilter,
    options: ListOptions<'TIMECREATED'>,
  ): Promise<Page<WorkRequest>>;

  /** The DKIM that signs mail from `domainName` (the domain's activeDkimId), if the domain has one. */
  signingDkim(domainName: string): Promise<Dkim | undefined>;
  /** The ACTIVE return path of the email domain named `domainName`, if any. */
  activeReturnPath(domainName: string): Promise<EmailReturnPath | undefined>;
}

/** What the DNS check and purge jobs read and remove, across tenancies. */
export interface EmailDomainUpkeep {
  /**
   * Removes up to `limit` email domains, DKIMs and return paths deleted before `before`, and work requests
   * accepted before it (their retry tokens with them); returns how many rows.
   */
  purge(before: Date, limit: number): Promise<number>;
  /** DKIMs and return paths whose next check is due at `now`, oldest due first. */
  due(
    now: Date,
    limit: number,
  ): Promise<{
    dkims: (Dkim & { tenancyId: string })[];
    returnPaths: (EmailReturnPath & { tenancyId: string })[];
  }>;
}
