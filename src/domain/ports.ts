import type { DeliveryEventObserver, DeliveryEventRepository, NewDeliveryEvent } from './events/ports';
import type { EmailDomainUpkeep, EmailDomainRepository } from './email-domains/ports';
import type { FeedbackStore, SuppressionReason } from './feedback/ports';
import type { SecretBox, WebhookQueue, WebhookRepository } from './webhooks/ports';
import type { DefinedTags, FreeformTags, ResourceLock, ResourceLockType } from '../values/resource';
import type { DeliveryState, SubmissionStore } from './submission/ports';
import type { ListOptions, Page } from '../values/page';
import type { RegionDescriptor, RegionId } from '../values/region';

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** `length` random characters of OCI's lower-case base32 alphabet. */
  random(length: number): string;
  /**
   * `length` characters of the same alphabet that sort by the time they were made, then random: rows keyed
   * by them append to the end of an index instead of touching a random page of it.
   */
  ordered(length: number): string;
}

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  /** Detail a running service does not need by default (LOG_LEVEL=debug shows it). */
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export type { SecretBox };

export interface Runtime {
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** Hears delivery events once they are committed, when something counts them. */
  events?: DeliveryEventObserver;
}

/** OCI's policy verbs; each grants everything the ones before it do. */
export const verbs = ['inspect', 'read', 'use', 'manage'] as const;
export type Verb = (typeof verbs)[number];

/** Resource types a policy names; the two families stand for several types at once. */
export const resourceTypes = [
  'approved-senders',
  'suppressions',
  'email-domains',
  'email-work-requests',
  'email-family',
  'users',
  'groups',
  'policies',
  'compartments',
  /** Our extension: verifying SMTP credentials and submitting for their users, as a standalone ingress does. */
  'smtp-ingress',
  'all-resources',
] as const;
export type ResourceType = (typeof resourceTypes)[number];

/** Who is calling; every read and write happens inside the caller's tenancy. */
export interface Caller {
  tenancyId: string;
  userId: string;
  /** Whether the caller's policies grant `verb` on `resource` in `compartmentId` (a compartment or the tenancy). */
  can(verb: Verb, resource: ResourceType, compartmentId: string): Promise<boolean>;
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

export type { DefinedTags, FreeformTags };
export type SenderLockType = ResourceLockType;
export type SenderLock = ResourceLock;

export interface Sender {
  id: string;
  compartmentId: string;
  emailAddress: string;
  lifecycleState: SenderState;
  isSpf: boolean;
  emailIpPoolId: string | null;
  freeformTags: FreeformTags;
  definedTags: DefinedTags;
  locks: readonly SenderLock[];
  etag: string;
  timeCreated: Date;
}

export interface SenderChanges {
  compartmentId?: string;
  emailIpPoolId?: string | null;
  freeformTags?: FreeformTags;
  definedTags?: DefinedTags;
  locks?: readonly SenderLock[];
  lifecycleState?: SenderState;
  timeDeleted?: Date;
  etag: string;
  timeUpdated: Date;
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
  /** Up to `limit` entries whose last cause was the message with this Message-ID (without angle brackets). */
  listByMessage(messageId: string, limit: number): Promise<Suppression[]>;
  delete(id: string): Promise<boolean>;
  /**
   * Adds the address, or updates the one entry it has (reason, errorDetail, errorSource, messageId,
   * timeLastSuppressed; timeCreated and id stay). Returns the entry as stored.
   */
  upsert(suppression: Suppression): Promise<Suppression>;
  /**
   * Counts a soft bounce of `emailAddress` by `messageId` (the same message again counts once) in a window
   * that starts at the first bounce and lasts `windowMs`; returns the count in the current window.
   */
  countSoftBounce(emailAddress: string, messageId: string, at: Date, windowMs: number): Promise<number>;
  /** Forgets the soft bounces counted for the address (once it is suppressed). */
  clearSoftBounces(emailAddress: string): Promise<void>;
}

/** One tenancy's view of one region's data. */
export interface TenancyScope {
  senders: SenderRepository;
  emailDomains: EmailDomainRepository;
  suppressions: SuppressionRepository;
  submissions: SubmissionStore;
  events: DeliveryEventRepository;
  webhooks: WebhookRepository;
}

export interface RegionStore {
  forTenancy(tenancyId: string): TenancyScope;
  /** Removes up to `limit` senders deleted before `before`, across tenancies; returns how many. */
  purgeDeletedSenders(before: Date, limit: number): Promise<number>;
  /**
   * Removes up to `limit` submissions created before `before` whose recipients are all final (with their
   * messages and recipient rows), across tenancies, oldest first; returns how many.
   */
  purgeSubmissions(before: Date, limit: number): Promise<number>;
  /** Removes up to `limit` delivery events written before `before`, across tenancies; returns how many. */
  purgeEvents(before: Date, limit: number): Promise<number>;
  /** Removes sending-quota windows that started before `before`; returns how many. */
  purgeQuotaWindows(before: Date): Promise<number>;
  /** Live senders not SPF-checked since `checkedBefore`, least recently checked first, across tenancies. */
  sendersDueForSpf(checkedBefore: Date, limit: number): Promise<Sender[]>;
  /** Records an SPF check (verdict undefined: inconclusive, keep the stored one); returns whether `isSpf` changed. */
  recordSpfCheck(
    id: string,
    check: { isSpf: boolean | undefined; checkedAt: Date; etag: string },
  ): Promise<boolean>;
  /** The recipient rows awaiting delivery, across tenancies. */
  deliveries: DeliveryRepository;
  /** Correlates feedback reports with the messages sent from this region, and keeps the reports. */
  feedback: FeedbackStore;
  /** Webhook deliveries of every tenancy's subscriptions in this region. */
  webhookQueue: WebhookQueue;
  /** DNS checks of every tenancy's DKIMs and return paths, and the purge of what was deleted. */
  emailDomainUpkeep: EmailDomainUpkeep;
}

/** A region you hold: the only way to its data. Obtained from `regions.open(id)`. */
export interface RegionHandle {
  readonly id: RegionId;
  readonly descriptor: RegionDescriptor;
  readonly store: RegionStore;
  /** The region's outbound relay; its owner (the entry) closes it. */
  readonly relay: Relay;
}

export type DnsRecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR';

export interface MxRecord {
  preference: number;
  exchange: string;
}

/** What each record type reads as: addresses in text form, TXT strings joined as RFC 7208 section 3.3 says. */
export interface DnsRecordData {
  A: string;
  AAAA: string;
  MX: MxRecord;
  TXT: string;
  /** The name a PTR record points to. */
  PTR: string;
}

/** A DNS answer as a value; 'empty' is NODATA or NXDOMAIN, never a failure to get an answer. */
export type DnsLookup<T extends DnsRecordType> =
  | { kind: 'records'; records: DnsRecordData[T][] }
  | { kind: 'empty'; nxdomain: boolean }
  | { kind: 'temperror'; reason: string };

export interface Resolver {
  /** Records of `type` at `name`; network failures, timeouts and SERVFAIL come back as 'temperror'. */
  lookup<T extends DnsRecordType>(name: string, type: T, signal?: AbortSignal): Promise<DnsLookup<T>>;
}

export type RelayOutcomeKind = 'sent' | 'transient' | 'permanent';

/** What became of one relayed message; SMTP and network failures are outcomes, never exceptions. */
export interface RelayOutcome {
  /** 2yz sent; 4yz, connection failures and timeouts transient; 5yz permanent. */
  kind: RelayOutcomeKind;
  /** The relay's reply code; undefined when no reply came (connection refused, dropped, timed out). */
  code: number | undefined;
  /** RFC 3463 enhanced status code such as '5.1.1', when the reply carried one. */
  enhanced: string | undefined;
  /** The reply as one line, or what went wrong on the connection; never holds credentials. */
  detail: string;
  /** Who gave the reply when it was not the relay's host, and through what (the simulator answers itself). */
  answeredBy?: { host: string; via: string };
  /** What the recipient did once the copy arrived, known with the reply: a complaint or an unsubscribe. */
  then?: { reason: Extract<SuppressionReason, 'COMPLAINT' | 'UNSUBSCRIBE'>; detail: string };
}

/** One recipient's copy: relayed as exactly one SMTP transaction. */
export interface RelayMessage {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** The one envelope recipient (RCPT TO). */
  to: string;
  /** The complete RFC 5322 message, sent byte for byte; the relay adds no header (Bcc included). */
  raw: string;
  /** The tenancy the copy is sent for; only the local capture mailbox is told it, to file the copy under it. */
  tenancyId?: string;
}

/** A region's outbound SMTP relay; pooled connections stay open until `close()`. */
export interface Relay {
  /** The host this relay hands mail to, and so the source of the replies it reports; none when unwired. */
  readonly host: string | undefined;
  send(message: RelayMessage): Promise<RelayOutcome>;
  close(): Promise<void>;
}

/** Starts delivery of freshly accepted recipients soon: Node wakes its worker, Workers schedule it with waitUntil. */
export interface DeliveryTrigger {
  accepted(region: RegionHandle): void;
}

/** A recipient row leased to one worker for one delivery attempt. */
export interface ClaimedDelivery {
  id: string;
  submissionId: string;
  tenancyId: string;
  messageId: string;
  /** Envelope sender (MAIL FROM). */
  sender: string;
  recipient: string;
  /** Attempts made before this one. */
  attempts: number;
  acceptedAt: Date;
  giveUpAt: Date;
  /** The recipient is on the tenancy's suppression list in this region at claim time. */
  suppressed: boolean;
}

/** Where a row goes after an attempt: back to the queue for a later try, or to a final state. */
export type DeliveryDecision =
  { state: 'QUEUED'; nextAttemptAt: Date } | { state: Exclude<DeliveryState, 'QUEUED'> };

export interface DeliveryCompletion {
  id: string;
  submissionId: string;
  /** What the completion did to the copy, written only if the completion is. */
  event: NewDeliveryEvent | undefined;
  decision: DeliveryDecision;
  /** Whether a relay was asked (counted in `attempts`); a suppressed row never reaches one. */
  attempted: boolean;
  code: number | undefined;
  enhanced: string | undefined;
  detail: string | undefined;
  at: Date;
}

/** The region's delivery queue: leased claims, guarded completions. */
export interface DeliveryRepository {
  /**
   * Leases to `owner` until `leaseUntil` up to `limit` QUEUED rows due at `now` whose lease is free or
   * expired. Safe with concurrent workers: a row is handed to one claimant per lease.
   */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]>;
  /** The message to relay for a submission (its parts in order), or undefined when it has none. */
  messageOf(submissionId: string): Promise<string | undefined>;
  /** The messages of several submissions in two queries, skipping any that would take the total past `maxBytes`. */
  messagesOf(submissionIds: readonly string[], maxBytes: number): Promise<Map<string, string>>;
  /**
   * Applies each completion, in one transaction, to a row `owner` still holds; returns the ids applied
   * (a row reclaimed meanwhile is left to its new owner).
   */
  complete(owner: string, completions: readonly DeliveryCompletion[]): Promise<Set<string>>;
  /** Frees the leases `owner` holds on rows it did not attempt, so another run takes them at once. */
  release(ids: readonly string[], owner: string): Promise<void>;
}

/** One message the local capture mailbox received (Node, when no relay is configured). */
export interface CapturedMail {
  id: string;
  /** The tenancy and region the copy was sent for; only their callers see it. */
  tenancyId: string;
  region: string;
  mailFrom: string;
  rcptTo: string[];
  receivedAt: Date;
  sizeBytes: number;
}

/** Reads the capture mailbox; present only while it is the relay. */
export interface CaptureMailboxReader {
  /** The tenancy's newest `limit` messages, newest first. */
  list(tenancyId: string, limit: number): Promise<CapturedMail[]>;
  /** A message of the tenancy exactly as received, or undefined for an unknown id or another tenancy's. */
  raw(tenancyId: string, id: string): Promise<string | undefined>;
}
