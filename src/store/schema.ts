import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export type Tags = Record<string, string>;
export type DefinedTags = Record<string, Record<string, unknown>>;

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
    emailIpPoolId: text('email_ip_pool_id'),
    freeformTags: text('freeform_tags', { mode: 'json' }).$type<Tags>().notNull(),
    definedTags: text('defined_tags', { mode: 'json' }).$type<DefinedTags>().notNull(),
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
};
export type Schema = typeof schema;
