import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export type Tags = Record<string, string>;

/** A suppression a feedback report wrote, as the report keeps it. */
export interface CausedSuppression {
  suppressionId: string;
  emailAddress: string;
  reason: string;
}
export type DefinedTags = Record<string, Record<string, unknown>>;

export interface StoredLock {
  type: 'FULL' | 'DELETE';
  compartmentId: string;
  relatedResourceId?: string;
  message?: string;
  timeCreated: number;
}

export const senders = sqliteTable(
  'senders',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    compartmentId: text('compartment_id').notNull(),
    emailAddress: text('email_address').notNull(),
    emailKey: text('email_key').notNull(),
    domain: text('domain').notNull(),
    lifecycleState: text('lifecycle_state').notNull(),
    isSpf: integer('is_spf', { mode: 'boolean' }).notNull().default(false),
    spfCheckedAt: integer('spf_checked_at'),
    emailIpPoolId: text('email_ip_pool_id'),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    /** OCI resource locks, each with its time in epoch milliseconds. */
    locks: text('locks', { mode: 'json' })
      .$type<StoredLock[]>()
      .notNull()
      .default(sql`'[]'`),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
    timeUpdated: integer('time_updated').notNull(),
    timeDeleted: integer('time_deleted'),
  },
  (t) => [
    uniqueIndex('senders_live_address')
      .on(t.tenancyId, t.emailKey)
      .where(sql`${t.lifecycleState} <> 'DELETED'`),
    index('senders_by_time').on(t.tenancyId, t.compartmentId, t.timeCreated, t.id),
    index('senders_by_address').on(t.tenancyId, t.compartmentId, t.emailKey, t.id),
    index('senders_deleted').on(t.lifecycleState, t.timeDeleted),
    index('senders_spf_due').on(t.spfCheckedAt, t.id),
  ],
);

export const suppressions = sqliteTable(
  'suppressions',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    emailAddress: text('email_address').notNull(),
    reason: text('reason').notNull(),
    errorDetail: text('error_detail'),
    errorSource: text('error_source'),
    messageId: text('message_id'),
    timeCreated: integer('time_created').notNull(),
    timeLastSuppressed: integer('time_last_suppressed').notNull(),
  },
  (t) => [
    uniqueIndex('suppressions_address').on(t.tenancyId, t.emailAddress),
    index('suppressions_by_time').on(t.tenancyId, t.timeCreated, t.id),
    /** A message's state shows the suppressions it caused. */
    index('suppressions_by_message').on(t.tenancyId, t.messageId),
  ],
);

// Identity: one global database (the same migrations run everywhere, so these tables also exist, empty,
// in every region database).

export const iamTenancies = sqliteTable('iam_tenancies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timeCreated: integer('time_created').notNull(),
});

export const iamCompartments = sqliteTable(
  'iam_compartments',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    parentId: text('parent_id').notNull(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    description: text('description').notNull(),
    lifecycleState: text('lifecycle_state').notNull(),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [
    uniqueIndex('iam_compartments_live_name')
      .on(t.tenancyId, t.parentId, t.nameKey)
      .where(sql`${t.lifecycleState} <> 'DELETED'`),
    index('iam_compartments_by_parent').on(t.tenancyId, t.parentId, t.timeCreated, t.id),
  ],
);

export const iamUsers = sqliteTable(
  'iam_users',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    description: text('description').notNull(),
    email: text('email'),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [
    uniqueIndex('iam_users_name').on(t.tenancyId, t.nameKey),
    index('iam_users_by_time').on(t.tenancyId, t.timeCreated, t.id),
  ],
);

export const iamGroups = sqliteTable(
  'iam_groups',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    description: text('description').notNull(),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [
    uniqueIndex('iam_groups_name').on(t.tenancyId, t.nameKey),
    index('iam_groups_by_time').on(t.tenancyId, t.timeCreated, t.id),
  ],
);

export const iamMemberships = sqliteTable(
  'iam_memberships',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    userId: text('user_id').notNull(),
    groupId: text('group_id').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [
    uniqueIndex('iam_memberships_pair').on(t.userId, t.groupId),
    index('iam_memberships_by_group').on(t.groupId, t.timeCreated, t.id),
    index('iam_memberships_by_tenancy').on(t.tenancyId, t.timeCreated, t.id),
  ],
);

/** One statement as evaluated: who, how much, on what, where (a compartment id; the tenancy id for `tenancy`). */
export interface StoredGrant {
  groups: string[];
  verb: string;
  resource: string;
  compartmentId: string;
}

export const iamPolicies = sqliteTable(
  'iam_policies',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    compartmentId: text('compartment_id').notNull(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    description: text('description').notNull(),
    statements: text('statements', { mode: 'json' }).$type<string[]>().notNull(),
    grants: text('grants', { mode: 'json' }).$type<StoredGrant[]>().notNull(),
    versionDate: integer('version_date'),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [
    uniqueIndex('iam_policies_name').on(t.tenancyId, t.nameKey),
    index('iam_policies_by_compartment').on(t.tenancyId, t.compartmentId, t.timeCreated, t.id),
  ],
);

export const iamApiKeys = sqliteTable(
  'iam_api_keys',
  {
    tenancyId: text('tenancy_id').notNull(),
    userId: text('user_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    keyValue: text('key_value').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.fingerprint] })],
);

export const iamSmtpCredentials = sqliteTable(
  'iam_smtp_credentials',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    userId: text('user_id').notNull(),
    username: text('username').notNull(),
    description: text('description').notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt>$<hash>`; the password itself is never stored. */
    passwordHash: text('password_hash').notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [
    uniqueIndex('iam_smtp_credentials_username').on(t.username),
    index('iam_smtp_credentials_by_user').on(t.userId, t.timeCreated),
  ],
);

/** One console (UI) password per user, replaced by each reset. */
export const iamUiPasswords = sqliteTable('iam_ui_passwords', {
  userId: text('user_id').primaryKey(),
  tenancyId: text('tenancy_id').notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt>$<hash>`; the password itself is never stored. */
  passwordHash: text('password_hash').notNull(),
  timeCreated: integer('time_created').notNull(),
});

/** One accepted submission: what was answered (replayed to retries) and the message as relayed. */
export const submissions = sqliteTable(
  'submissions',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    /** The caller's opc-request-id: a retry of an accepted submit finds its answer here. */
    requestKey: text('request_key'),
    /** SHA-256 of what the caller sent; a reused request id or messageId with other content is refused. */
    contentHash: text('content_hash').notNull(),
    messageId: text('message_id').notNull(),
    sender: text('sender').notNull(),
    compartmentId: text('compartment_id').notNull(),
    response: text('response', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    timeCreated: integer('time_created').notNull(),
  },
  (t) => [
    uniqueIndex('submissions_request').on(t.tenancyId, t.requestKey),
    uniqueIndex('submissions_message').on(t.tenancyId, t.messageId),
    index('submissions_time').on(t.timeCreated),
    /** Feedback reports name a message by its Message-ID only, without the tenancy. */
    index('submissions_by_message_id').on(t.messageId),
  ],
);

/** The relayed message in slices: a D1 row holds at most about 2 MB, a message may be larger. */
export const submissionParts = sqliteTable(
  'submission_parts',
  {
    submissionId: text('submission_id').notNull(),
    seq: integer('seq').notNull(),
    data: text('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.submissionId, t.seq] })],
);

/** One row per recipient: delivery state, lease and last SMTP reply. */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    submissionId: text('submission_id').notNull(),
    tenancyId: text('tenancy_id').notNull(),
    messageId: text('message_id').notNull(),
    sender: text('sender').notNull(),
    recipient: text('recipient').notNull(),
    /** QUEUED until it ends DELIVERED, FAILED, SUPPRESSED or EXPIRED. */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    giveUpAt: integer('give_up_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    lastCode: integer('last_code'),
    lastEnhanced: text('last_enhanced'),
    lastDetail: text('last_detail'),
    timeCreated: integer('time_created').notNull(),
    timeUpdated: integer('time_updated').notNull(),
    timeFinal: integer('time_final'),
  },
  (t) => [
    index('deliveries_due').on(t.state, t.nextAttemptAt),
    index('deliveries_message').on(t.tenancyId, t.messageId),
    index('deliveries_submission').on(t.submissionId),
  ],
);

/** The rule that keeps a tenancy within its quota: its name is how a refused charge is told from other failures. */
export const QUOTA_WITHIN_LIMIT = 'quota_within_limit';

/** Sending quota usage per tenancy per window (minute or day) in this region. */
export const quotaUsage = sqliteTable(
  'quota_usage',
  {
    tenancyId: text('tenancy_id').notNull(),
    window: text('window').notNull(),
    windowStart: integer('window_start').notNull(),
    used: integer('used').notNull(),
    /** The limit of the last charge: a charge that would pass it fails, and with it the acceptance's batch. */
    limit: integer('limit').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenancyId, t.window, t.windowStart] }),
    check(QUOTA_WITHIN_LIMIT, sql`${sql.identifier('used')} <= ${sql.identifier('limit')}`),
  ],
);

/** Soft bounces per recipient in a sliding-start window; the same message retried counts once. */
export const softBounces = sqliteTable(
  'soft_bounces',
  {
    tenancyId: text('tenancy_id').notNull(),
    emailAddress: text('email_address').notNull(),
    count: integer('count').notNull(),
    windowStart: integer('window_start').notNull(),
    lastMessageId: text('last_message_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenancyId, t.emailAddress] })],
);

/** Feedback reports (DSN, ARF) as received: kept for inspection whether or not they matched a message. */
export const feedbackReports = sqliteTable(
  'feedback_reports',
  {
    id: text('id').primaryKey(),
    /** dsn, arf or unknown. */
    kind: text('kind').notNull(),
    /** matched (to one tenancy's message), unmatched or unparseable. */
    status: text('status').notNull(),
    tenancyId: text('tenancy_id'),
    messageId: text('message_id'),
    detail: text('detail').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** The report's first bytes, enough to see what it was. */
    excerpt: text('excerpt').notNull(),
    /** What the report suppressed: [{ suppressionId, emailAddress, reason }]. */
    suppressions: text('suppressions', { mode: 'json' })
      .$type<CausedSuppression[]>()
      .notNull()
      .default(sql`'[]'`),
    timeReceived: integer('time_received').notNull(),
  },
  (t) => [
    index('feedback_reports_by_time').on(t.timeReceived, t.id),
    index('feedback_reports_by_tenancy').on(t.tenancyId, t.timeReceived, t.id),
  ],
);

/**
 * What happened to each copy, one row per event, in the order written: `seq` is assigned at insert under the
 * write lock, so a reader that has seen seq n has seen every event committed before it.
 */
export const deliveryEvents = sqliteTable(
  'delivery_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    tenancyId: text('tenancy_id').notNull(),
    compartmentId: text('compartment_id').notNull(),
    eventType: text('event_type').notNull(),
    messageId: text('message_id').notNull(),
    deliveryId: text('delivery_id'),
    sender: text('sender').notNull(),
    recipient: text('recipient').notNull(),
    smtpCode: integer('smtp_code'),
    enhancedCode: text('enhanced_code'),
    detail: text('detail'),
    errorType: text('error_type'),
    relayHost: text('relay_host'),
    attempt: integer('attempt'),
    /** From acceptance to this event, for RELAYED only. */
    latencyMs: integer('latency_ms'),
    timeCreated: integer('time_created').notNull(),
  },
  // Two indexes only: each costs every submit a write. The purge walks seq order, which is time order.
  (t) => [
    index('delivery_events_by_compartment').on(t.tenancyId, t.compartmentId, t.timeCreated, t.seq),
    index('delivery_events_by_message').on(t.tenancyId, t.messageId),
  ],
);

/** Where a compartment's events are posted: the signing secret is kept sealed, never in plain text. */
export const webhookSubscriptions = sqliteTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    compartmentId: text('compartment_id').notNull(),
    displayName: text('display_name').notNull(),
    url: text('url').notNull(),
    eventTypes: text('event_types', { mode: 'json' }).$type<string[]>().notNull(),
    sealedSecret: text('sealed_secret').notNull(),
    lifecycleState: text('lifecycle_state').notNull(),
    lifecycleDetails: text('lifecycle_details'),
    /** The last event seq turned into deliveries for this subscription. */
    eventCursor: integer('event_cursor').notNull(),
    /** Since when every delivery has failed; cleared by a success. */
    failingSince: integer('failing_since'),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
    timeUpdated: integer('time_updated').notNull(),
  },
  (t) => [
    index('webhook_subscriptions_by_time').on(t.tenancyId, t.compartmentId, t.timeCreated, t.id),
    index('webhook_subscriptions_by_state').on(t.lifecycleState),
  ],
);

/** One event to post to one subscription: leased like a recipient row, retried until it gives up. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    eventSeq: integer('event_seq').notNull(),
    messageId: text('message_id').notNull(),
    /** PENDING until it ends DELIVERED or FAILED. */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    giveUpAt: integer('give_up_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    timeCreated: integer('time_created').notNull(),
    timeUpdated: integer('time_updated').notNull(),
  },
  (t) => [
    index('webhook_deliveries_due').on(t.state, t.nextAttemptAt),
    index('webhook_deliveries_order').on(t.subscriptionId, t.messageId, t.state, t.eventSeq),
    index('webhook_deliveries_by_subscription').on(t.subscriptionId, t.timeCreated, t.id),
  ],
);

/** OCI email domains: the DNS names a tenancy sends from in this region, signed with their active DKIM. */
export const emailDomains = sqliteTable(
  'email_domains',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    compartmentId: text('compartment_id').notNull(),
    /** Lower case, A-labels, without a trailing dot. */
    name: text('name').notNull(),
    lifecycleState: text('lifecycle_state').notNull(),
    description: text('description'),
    domainVerificationId: text('domain_verification_id'),
    activeDkimId: text('active_dkim_id'),
    isSpf: integer('is_spf', { mode: 'boolean' }).notNull().default(false),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    locks: text('locks', { mode: 'json' }).$type<StoredLock[]>().notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
    timeUpdated: integer('time_updated').notNull(),
  },
  (t) => [
    uniqueIndex('email_domains_live_name')
      .on(t.tenancyId, t.name)
      .where(sql`${t.lifecycleState} <> 'DELETED'`),
    index('email_domains_by_time').on(t.tenancyId, t.compartmentId, t.timeCreated, t.id),
    index('email_domains_by_name').on(t.tenancyId, t.compartmentId, t.name, t.id),
  ],
);

/** DKIM keys of email domains: the private key is kept sealed under the key-encryption key, never in plain text. */
export const dkims = sqliteTable(
  'dkims',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    emailDomainId: text('email_domain_id').notNull(),
    domainName: text('domain_name').notNull(),
    compartmentId: text('compartment_id').notNull(),
    /** The selector. */
    name: text('name').notNull(),
    lifecycleState: text('lifecycle_state').notNull(),
    lifecycleDetails: text('lifecycle_details'),
    description: text('description'),
    isImported: integer('is_imported', { mode: 'boolean' }).notNull(),
    keyLength: integer('key_length').notNull(),
    publicKey: text('public_key').notNull(),
    sealedPrivateKey: text('sealed_private_key').notNull(),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
    timeUpdated: integer('time_updated').notNull(),
    timeActivated: integer('time_activated'),
    /** When its DNS record is next checked; null once deleted. */
    nextCheckAt: integer('next_check_at'),
  },
  (t) => [
    uniqueIndex('dkims_live_selector')
      .on(t.emailDomainId, t.name)
      .where(sql`${t.lifecycleState} <> 'DELETED'`),
    index('dkims_by_domain').on(t.tenancyId, t.emailDomainId, t.timeCreated, t.id),
    index('dkims_check_due').on(t.nextCheckAt),
  ],
);

/** Return paths: the envelope-sender domains of email domains, so bounces come back to an address per copy. */
export const emailReturnPaths = sqliteTable(
  'email_return_paths',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    parentResourceId: text('parent_resource_id').notNull(),
    domainName: text('domain_name').notNull(),
    compartmentId: text('compartment_id').notNull(),
    name: text('name').notNull(),
    lifecycleState: text('lifecycle_state').notNull(),
    lifecycleDetails: text('lifecycle_details'),
    description: text('description'),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
    locks: text('locks', { mode: 'json' }).$type<StoredLock[]>().notNull(),
    etag: text('etag').notNull(),
    timeCreated: integer('time_created').notNull(),
    timeUpdated: integer('time_updated').notNull(),
    nextCheckAt: integer('next_check_at'),
  },
  (t) => [
    uniqueIndex('email_return_paths_live_name')
      .on(t.tenancyId, t.name)
      .where(sql`${t.lifecycleState} <> 'DELETED'`),
    index('email_return_paths_by_parent').on(t.tenancyId, t.parentResourceId, t.timeCreated, t.id),
    index('email_return_paths_by_compartment').on(t.tenancyId, t.compartmentId, t.timeCreated, t.id),
    index('email_return_paths_check_due').on(t.nextCheckAt),
  ],
);

export interface StoredWorkEntry {
  message: string;
  timestamp: number;
  code?: string;
}

/** What each change to an email domain, DKIM or return path did, for OCI's work request API and waiters. */
export const workRequests = sqliteTable(
  'work_requests',
  {
    id: text('id').primaryKey(),
    tenancyId: text('tenancy_id').notNull(),
    compartmentId: text('compartment_id').notNull(),
    operationType: text('operation_type').notNull(),
    status: text('status').notNull(),
    resources: text('resources', { mode: 'json' }).$type<Record<string, string>[]>().notNull(),
    percentComplete: integer('percent_complete').notNull(),
    logs: text('logs', { mode: 'json' }).$type<StoredWorkEntry[]>().notNull(),
    errors: text('errors', { mode: 'json' }).$type<StoredWorkEntry[]>().notNull(),
    /** The create's `opc-retry-token` and a digest of its body: a retry answers the same resource. */
    retryToken: text('retry_token'),
    retryDigest: text('retry_digest'),
    timeAccepted: integer('time_accepted').notNull(),
    timeStarted: integer('time_started'),
    timeFinished: integer('time_finished'),
  },
  (t) => [
    index('work_requests_by_time').on(t.tenancyId, t.compartmentId, t.timeAccepted, t.id),
    uniqueIndex('work_requests_retry')
      .on(t.tenancyId, t.operationType, t.retryToken)
      .where(sql`${t.retryToken} IS NOT NULL`),
  ],
);

export const schema = {
  senders,
  suppressions,
  iamTenancies,
  iamCompartments,
  iamUsers,
  iamGroups,
  iamMemberships,
  iamPolicies,
  iamApiKeys,
  iamSmtpCredentials,
  iamUiPasswords,
  submissions,
  submissionParts,
  deliveries,
  quotaUsage,
  softBounces,
  feedbackReports,
  deliveryEvents,
  webhookSubscriptions,
  webhookDeliveries,
  emailDomains,
  dkims,
  emailReturnPaths,
  workRequests,
};
export type Schema = typeof schema;
