import type { DeliveryEventType } from '../events/ports';
import type { DeliveryEvent } from '../events/ports';
import type { ListOptions, Page } from '../../values/page';

/** ACTIVE posts; INACTIVE is paused by its owner; NEEDS_ATTENTION was disabled after failing for days. */
export const webhookStates = ['ACTIVE', 'INACTIVE', 'NEEDS_ATTENTION'] as const;
export type WebhookState = (typeof webhookStates)[number];

export interface WebhookSubscription {
  id: string;
  compartmentId: string;
  displayName: string;
  url: string;
  eventTypes: DeliveryEventType[];
  lifecycleState: WebhookState;
  lifecycleDetails: string | null;
  /** Since when every delivery has failed; null after a success. */
  failingSince: Date | null;
  etag: string;
  timeCreated: Date;
  timeUpdated: Date;
}

export interface NewWebhookSubscription extends Omit<WebhookSubscription, 'failingSince' | 'timeUpdated'> {
  /** The signing secret, sealed under the service's data key. */
  sealedSecret: string;
}

export interface WebhookChanges {
  displayName?: string;
  url?: string;
  eventTypes?: DeliveryEventType[];
  lifecycleState?: WebhookState;
  lifecycleDetails?: string | null;
  /** Cleared when a subscription is enabled again. */
  failingSince?: null;
  etag: string;
  timeUpdated: Date;
}

export const webhookDeliveryStates = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

/** One event's posting to one subscription, as its owner sees it. */
export interface WebhookDeliveryRecord {
  id: string;
  eventSeq: number;
  messageId: string;
  state: WebhookDeliveryState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  timeCreated: Date;
  timeUpdated: Date;
}

/** One tenancy's subscriptions in one region. */
export interface WebhookRepository {
  insert(subscription: NewWebhookSubscription): Promise<WebhookSubscription>;
  findById(id: string): Promise<WebhookSubscription | undefined>;
  list(compartmentId: string, options: ListOptions<'TIMECREATED'>): Promise<Page<WebhookSubscription>>;
  /** Applies the changes when the stored etag equals `expectedEtag` (any etag when undefined). */
  update(
    id: string,
    changes: WebhookChanges,
    expectedEtag?: string,
  ): Promise<WebhookSubscription | 'missing' | 'etag-mismatch'>;
  /** Removes the subscription and its deliveries. */
  delete(id: string): Promise<boolean>;
  /** The sealed signing secret, for a test event. */
  sealedSecretOf(id: string): Promise<string | undefined>;
  deliveries(id: string, options: ListOptions<'TIMECREATED'>): Promise<Page<WebhookDeliveryRecord>>;
}

/** A delivery leased to one worker, with what posting it needs. */
export interface ClaimedWebhookDelivery {
  id: string;
  subscriptionId: string;
  url: string;
  sealedSecret: string;
  attempts: number;
  giveUpAt: Date;
  /** Undefined when the event was purged before it could be posted. */
  event: DeliveryEvent | undefined;
}

export interface WebhookDeliveryResult {
  id: string;
  subscriptionId: string;
  state: WebhookDeliveryState;
  nextAttemptAt: Date | null;
  status: number | null;
  error: string | null;
  at: Date;
}

/** The region's webhook outbox, across tenancies. */
export interface WebhookQueue {
  /**
   * Turns events written since each ACTIVE subscription's cursor into PENDING deliveries (at most `limit`
   * events per subscription); returns how many deliveries were made.
   */
  fanOut(now: Date, giveUpAt: Date, limit: number): Promise<number>;
  /**
   * Leases up to `limit` due deliveries of ACTIVE subscriptions, each the oldest still pending for its
   * message and subscription, so one message's events arrive in order.
   */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedWebhookDelivery[]>;
  /**
   * Records results of deliveries `owner` still holds, in one transaction, with each subscription's failing
   * streak; a subscription failing since before `disableBefore` is set to NEEDS_ATTENTION with `details`.
   * Returns the ids of subscriptions disabled now.
   */
  complete(
    owner: string,
    results: readonly WebhookDeliveryResult[],
    disable: { before: Date; details: string },
  ): Promise<string[]>;
  /** Removes up to `limit` finished deliveries last updated before `before`; returns how many. */
  purgeFinished(before: Date, limit: number): Promise<number>;
}

/** Posts one webhook; network failures and timeouts are answers, never exceptions. */
/** Seals secrets kept at rest (webhook signing secrets, DKIM private keys) under the service's key. */
export interface SecretBox {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export interface WebhookTransport {
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number } | { error: string }>;
}

/** What posting webhooks takes: the way out and the key to the secrets. */
export interface WebhookDelivery {
  transport: WebhookTransport;
  secrets: SecretBox;
}
