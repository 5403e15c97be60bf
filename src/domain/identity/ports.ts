import type { DefinedTags, FreeformTags, ResourceType, Verb } from '../ports';
import type { ListOptions, Page } from '../../values/page';

export interface Tenancy {
  id: string;
  name: string;
  timeCreated: Date;
}

export type CompartmentState = 'ACTIVE' | 'DELETED';

export interface Compartment {
  id: string;
  /** The parent: the tenancy OCID or another compartment's. */
  parentId: string;
  name: string;
  description: string;
  lifecycleState: CompartmentState;
  freeformTags: FreeformTags;
  definedTags: DefinedTags;
  etag: string;
  timeCreated: Date;
}

/** What users and groups share: a name unique in the tenancy, a description and tags. */
export interface NamedIdentity {
  id: string;
  name: string;
  description: string;
  freeformTags: FreeformTags;
  definedTags: DefinedTags;
  etag: string;
  timeCreated: Date;
}

export interface User extends NamedIdentity {
  email: string | null;
}

export type Group = NamedIdentity;

export interface Membership {
  id: string;
  userId: string;
  groupId: string;
  timeCreated: Date;
}

/** One policy statement, resolved: members of `groups` (name keys) may `verb` on `resource` in `compartmentId`. */
export interface Grant {
  groups: string[];
  verb: Verb;
  resource: ResourceType;
  /** A compartment OCID, or the tenancy OCID for `in tenancy`. */
  compartmentId: string;
}

export interface Policy {
  id: string;
  compartmentId: string;
  name: string;
  description: string;
  statements: string[];
  grants: Grant[];
  versionDate: Date | null;
  freeformTags: FreeformTags;
  definedTags: DefinedTags;
  etag: string;
  timeCreated: Date;
}

export interface ApiKey {
  userId: string;
  fingerprint: string;
  /** The public key as PEM (SubjectPublicKeyInfo). */
  keyValue: string;
  timeCreated: Date;
}

export interface SmtpCredential {
  id: string;
  userId: string;
  username: string;
  description: string;
  /** A salted slow hash with its parameters; never the password. */
  passwordHash: string;
  etag: string;
  timeCreated: Date;
}

export type IdentitySortBy = 'TIMECREATED' | 'NAME';
export type IdentityListOptions = ListOptions<IdentitySortBy>;

/** The outcome of a conditional write: the new state, or why nothing was written. */
export type Change<T> = T | 'missing' | 'etag-mismatch';

export interface CompartmentFilter {
  /** Direct children of this compartment; the whole tenancy when undefined. */
  parentId?: string;
  name?: string;
  /** Only ACTIVE and DELETED occur; OCI's transitional states match nothing. */
  lifecycleState?: string;
}

export interface CompartmentRepository {
  /** Inserts, or returns 'duplicate' when a live sibling has the same name. */
  insert(compartment: Compartment): Promise<Compartment | 'duplicate'>;
  /** Finds a compartment in any state. */
  findById(id: string): Promise<Compartment | undefined>;
  findLiveChild(parentId: string, name: string): Promise<Compartment | undefined>;
  list(filter: CompartmentFilter, options: IdentityListOptions): Promise<Page<Compartment>>;
  hasLiveChildren(id: string): Promise<boolean>;
  markDeleted(id: string, etag: string, expectedEtag?: string): Promise<Change<Compartment>>;
}

export interface NameFilter {
  name?: string;
}

/** What users and groups share in the store: each is named uniquely within the tenancy. */
export interface NamedRepository<T extends NamedIdentity> {
  insert(item: T): Promise<T | 'duplicate'>;
  findById(id: string): Promise<T | undefined>;
  findByName(name: string): Promise<T | undefined>;
  list(filter: NameFilter, options: IdentityListOptions): Promise<Page<T>>;
  /** A user goes with its API keys, SMTP credentials and UI password, keys first so they stop working at once. */
  delete(id: string, expectedEtag?: string): Promise<Change<'deleted'>>;
}

export type UserRepository = NamedRepository<User>;
export type GroupRepository = NamedRepository<Group>;

export interface MembershipFilter {
  userId?: string;
  groupId?: string;
}

export interface MembershipRepository {
  insert(membership: Membership): Promise<Membership | 'duplicate'>;
  findById(id: string): Promise<Membership | undefined>;
  list(filter: MembershipFilter, options: ListOptions<'TIMECREATED'>): Promise<Page<Membership>>;
  exists(filter: MembershipFilter): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Name keys of the groups `userId` belongs to. */
  groupNamesOf(userId: string): Promise<string[]>;
}

export interface PolicyFilter {
  compartmentId: string;
  name?: string;
}

export interface PolicyChanges {
  description?: string;
  statements?: string[];
  grants?: Grant[];
  versionDate?: Date | null;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
  etag: string;
}

export interface PolicyRepository {
  insert(policy: Policy): Promise<Policy | 'duplicate'>;
  findById(id: string): Promise<Policy | undefined>;
  list(filter: PolicyFilter, options: IdentityListOptions): Promise<Page<Policy>>;
  existsIn(compartmentId: string): Promise<boolean>;
  update(id: string, changes: PolicyChanges, expectedEtag?: string): Promise<Change<Policy>>;
  delete(id: string, expectedEtag?: string): Promise<Change<'deleted'>>;
  /** Every grant of every policy in the tenancy. */
  grants(): Promise<Grant[]>;
}

export interface ApiKeyRepository {
  /** Inserts unless the user already holds this key or `limit` keys. */
  insertWithin(key: ApiKey, limit: number): Promise<ApiKey | 'duplicate' | 'limit'>;
  find(userId: string, fingerprint: string): Promise<ApiKey | undefined>;
  list(userId: string): Promise<ApiKey[]>;
  delete(userId: string, fingerprint: string): Promise<boolean>;
}

export interface SmtpCredentialRepository {
  /** Inserts unless the user already holds `limit` credentials. */
  insertWithin(credential: SmtpCredential, limit: number): Promise<SmtpCredential | 'limit'>;
  list(userId: string): Promise<SmtpCredential[]>;
  update(
    userId: string,
    id: string,
    changes: { description?: string; etag: string },
    expectedEtag?: string,
  ): Promise<Change<SmtpCredential>>;
  delete(userId: string, id: string, expectedEtag?: string): Promise<Change<'deleted'>>;
}

export interface StoredUiPassword {
  /** A salted slow hash with its parameters; never the password. */
  passwordHash: string;
  timeCreated: Date;
}

/** A user's one console password: each reset replaces it. */
export interface UiPasswordRepository {
  set(userId: string, passwordHash: string, timeCreated: Date): Promise<void>;
  find(userId: string): Promise<StoredUiPassword | undefined>;
}

/** One tenancy's identity records. */
export interface Directory {
  compartments: CompartmentRepository;
  users: UserRepository;
  groups: GroupRepository;
  memberships: MembershipRepository;
  policies: PolicyRepository;
  apiKeys: ApiKeyRepository;
  smtpCredentials: SmtpCredentialRepository;
  uiPasswords: UiPasswordRepository;
}

/** The global identity database. */
export interface IdentityStore {
  findTenancy(id: string): Promise<Tenancy | undefined>;
  /** The oldest tenancy, which a single-tenant deployment bootstraps once. */
  firstTenancy(): Promise<Tenancy | undefined>;
  insertTenancy(tenancy: Tenancy): Promise<void>;
  forTenancy(tenancyId: string): Directory;
  /** SMTP usernames are unique across tenancies; the ingress knows nothing else at AUTH time. */
  findSmtpCredential(
    username: string,
  ): Promise<{ tenancyId: string; credential: SmtpCredential } | undefined>;
}
