import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

export const schema = { senders, suppressions };
export type Schema = typeof schema;
