import type { RegionDescriptor } from '../config/region-catalog';

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** `length` random characters of OCI's lower-case base32 alphabet. */
  random(length: number): string;
}

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface Runtime {
  clock: Clock;
  ids: Ids;
  logger: Logger;
}

/** Who is calling; every read and write happens inside the caller's tenancy. */
export interface Caller {
  tenancyId: string;
  userId: string;
}

export const senderStates = [
  'CREATING',
  'ACTIVE',
  'NEEDS_ATTENTION',
  'INACTIVE',
  'FAILED',
  'DELETING',
  'DELETED',
  'UPDATING',
] as const;
export type SenderState = (typeof senderStates)[number];

export const suppressionReasons = [
  'UNKNOWN',
  'HARDBOUNCE',
  'COMPLAINT',
  'MANUAL',
  'SOFTBOUNCE',
  'UNSUBSCRIBE',
] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export type FreeformTags = Record<string, string>;
export type DefinedTags = Record<string, Record<string, unknown>>;

export interface Sender {
  id: string;
  compartmentId: string;
  emailAddress: string;
  lifecycleState: SenderState;
  isSpf: boolean;
  emailIpPoolId: string | null;
  freeformTags: FreeformTags;
  definedTags: DefinedTags;
  etag: string;
  timeCreated: Date;
}

export interface SenderChanges {
  compartmentId?: string;
  emailIpPoolId?: string | null;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
  lifecycleState?: SenderState;
  timeDeleted?: Date;
  etag: string;
  timeUpdated: Date;
}

export type SortOrder = 'ASC' | 'DESC';
export type SortBy = 'TIMECREATED' | 'EMAILADDRESS';

/** Where the previous page ended: the sort key of its last row and that row's id. */
export interface PagePosition {
  after: [string | number, string];
}

export interface ListOptions {
  sortBy: SortBy;
  sortOrder: SortOrder;
  limit: number;
  position?: PagePosition;
}

export interface SenderFilter {
  compartmentId: string;
  lifecycleState?: SenderState;
  domain?: string;
  emailAddress?: string;
  emailIpPoolId?: string;
}

export interface Suppression {
  id: string;
  emailAddress: string;
  reason: SuppressionReason;
  errorDetail: string | null;
  errorSource: string | null;
  messageId: string | null;
  timeCreated: Date;
  timeLastSuppressed: Date;
}

export interface SuppressionFilter {
  emailAddress?: string;
  timeCreatedGreaterThanOrEqualTo?: Date;
  timeCreatedLessThan?: Date;
}

export interface Page<T> {
  items: T[];
  /** Present when more rows follow the last item. */
  next?: PagePosition;
}

export interface SenderRepository {
  /** Inserts, or returns 'duplicate' when a live sender with this address exists in the tenancy. */
  insert(sender: Sender): Promise<Sender | 'duplicate'>;
  findById(id: string): Promise<Sender | undefined>;
  list(filter: SenderFilter, options: ListOptions): Promise<Page<Sender>>;
  count(filter: SenderFilter): Promise<number>;
  /** Applies the changes when the stored etag equals `expectedEtag` (any etag when undefined). */
  update(
    id: string,
    changes: SenderChanges,
    expectedEtag?: string,
  ): Promise<Sender | 'missing' | 'etag-mismatch'>;
}

export interface SuppressionRepository {
  /** Inserts, or returns the existing suppression for the same address unchanged. */
  insertIfAbsent(suppression: Suppression): Promise<Suppression>;
  findById(id: string): Promise<Suppression | undefined>;
  list(filter: SuppressionFilter, options: ListOptions): Promise<Page<Suppression>>;
  delete(id: string): Promise<boolean>;
}

/** One tenancy's view of one region's data. */
export interface TenancyScope {
  senders: SenderRepository;
  suppressions: SuppressionRepository;
}

export interface RegionStore {
  forTenancy(tenancyId: string): TenancyScope;
  /** Removes up to `limit` senders deleted before `before`, across tenancies; returns how many. */
  purgeDeletedSenders(before: Date, limit: number): Promise<number>;
}

/** A region you hold: the only way to its data. Obtained from `regions.open(id)`. */
export interface RegionHandle {
  readonly id: string;
  readonly descriptor: RegionDescriptor;
  readonly store: RegionStore;
}
