import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DeliveryEventType } from '../../domain/events/ports';
import type {
  ClaimedWebhookDelivery,
  WebhookDeliveryRecord,
  WebhookDeliveryState,
  WebhookQueue,
  WebhookRepository,
  WebhookState,
  WebhookSubscription,
} from '../../domain/webhooks/ports';
import type { CompiledStatement, Database, SqlDatabase } from '../database';
import { chunks, MAX_IN_LIST } from '../sql/batching';
import { compiledOnce } from '../sql/compiled-statements';
import { timePaging } from '../sql/keyset';
import { deliveryEvents, webhookDeliveries, webhookSubscriptions } from '../schema';
import { toEvent } from './delivery-events';

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const MAX_STORED_ERROR = 512;

const maybeDate = (value: number | null): Date | null => (value === null ? null : new Date(value));

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    compartmentId: row.compartmentId,
    displayName: row.displayName,
    url: row.url,
    eventTypes: row.eventTypes as DeliveryEventType[],
    lifecycleState: row.lifecycleState as WebhookState,
    lifecycleDetails: row.lifecycleDetails,
    failingSince: maybeDate(row.failingSince),
    etag: row.etag,
    timeCreated: new Date(row.timeCreated),
    timeUpdated: new Date(row.timeUpdated),
  };
}

function toRecord(row: DeliveryRow): WebhookDeliveryRecord {
  const state = row.state as WebhookDeliveryState;
  return {
    id: row.id,
    eventSeq: row.eventSeq,
    messageId: row.messageId,
    state,
    attempts: row.attempts,
    nextAttemptAt: state === 'PENDING' ? new Date(row.nextAttemptAt) : null,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    timeCreated: new Date(row.timeCreated),
    timeUpdated: new Date(row.timeUpdated),
  };
}

/** The newest event's seq: a new subscription hears what happens from now on. */
async function lastEventSeq(db: Database): Promise<number> {
  const [row] = await db.select({ seq: sql<number | null>`max(${deliveryEvents.seq})` }).from(deliveryEvents);
  return row?.seq ?? 0;
}

export function webhookRepository({ db, batch }: SqlDatabase, tenancyId: string): WebhookRepository {
  const own = (id: string) =>
    and(eq(webhookSubscriptions.tenancyId, tenancyId), eq(webhookSubscriptions.id, id));

  return {
    async insert(subscription) {
      const time = subscription.timeCreated.getTime();
      const [row] = await db
        .insert(webhookSubscriptions)
        .values({
          ...subscription,
          tenancyId,
          eventCursor: await lastEventSeq(db),
          failingSince: null,
          timeCreated: time,
          timeUpdated: time,
        })
        .returning();
      if (!row) throw new Error('webhook subscription insert returned nothing');
      return toSubscription(row);
    },

    async findById(id) {
      const [row] = await db.select().from(webhookSubscriptions).where(own(id)).limit(1);
      return row ? toSubscription(row) : undefined;
    },

    async list(compartmentId, options) {
      const { after, orderBy, fetch, page } = timePaging(webhookSubscriptions, options);
      const rows = await db
        .select()
        .from(webhookSubscriptions)
        .where(
          and(
            eq(webhookSubscriptions.tenancyId, tenancyId),
            eq(webhookSubscriptions.compartmentId, compartmentId),
            after,
          ),
        )
        .orderBy(...orderBy)
        .limit(fetch);
      return page(rows, toSubscription);
    },

    async update(id, changes, expectedEtag) {
      const { timeUpdated, failingSince, ...rest } = changes;
      const [row] = await db
        .update(webhookSubscriptions)
        .set({
          ...rest,
          ...(failingSince === null ? { failingSince: null } : {}),
          timeUpdated: timeUpdated.getTime(),
        })
        .where(
          and(own(id), expectedEtag === undefined ? undefined : eq(webhookSubscriptions.etag, expectedEtag)),
        )
        .returning();
      if (row) return toSubscription(row);
      const [exists] = await db
        .select({ id: webhookSubscriptions.id })
        .from(webhookSubscriptions)
        .where(own(id));
      return exists ? 'etag-mismatch' : 'missing';
    },

    async delete(id) {
      const results = await batch([
        db
          .delete(webhookDeliveries)
          .where(
            and(
              eq(webhookDeliveries.subscriptionId, id),
              inArray(
                webhookDeliveries.subscriptionId,
                db.select({ id: webhookSubscriptions.id }).from(webhookSubscriptions).where(own(id)),
              ),
            ),
          )
          .toSQL(),
        db.delete(webhookSubscriptions).where(own(id)).returning({ id: webhookSubscriptions.id }).toSQL(),
      ]);
      return (results.at(-1)?.length ?? 0) > 0;
    },

    async sealedSecretOf(id) {
      const [row] = await db
        .select({ sealedSecret: webhookSubscriptions.sealedSecret })
        .from(webhookSubscriptions)
        .where(own(id))
        .limit(1);
      return row?.sealedSecret;
    },

    async deliveries(id, options) {
      const { after, orderBy, fetch, page } = timePaging(webhookDeliveries, options);
      const rows = await db
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.subscriptionId, id),
            inArray(
              webhookDeliveries.subscriptionId,
              db.select({ id: webhookSubscriptions.id }).from(webhookSubscriptions).where(own(id)),
            ),
            after,
          ),
        )
        .orderBy(...orderBy)
        .limit(fetch);
      return page(rows, toRecord);
    },
  };
}

const bound = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * One subscription's share of new events: its cursor moves first, guarded by where it was read, and the
 * deliveries are written only if that move happened (the statement just before, in the same transaction),
 * so two workers fanning out at once cannot both write them.
 */
function fanOutStatements(
  db: Database,
  subscription: Pick<SubscriptionRow, 'id' | 'tenancyId' | 'compartmentId' | 'eventTypes' | 'eventCursor'>,
  upTo: number,
  now: Date,
  giveUpAt: Date,
): CompiledStatement[] {
  const moveCursor = compiledOnce(
    'webhook-cursor',
    () =>
      db
        .update(webhookSubscriptions)
        .set({ eventCursor: sql`${sql.placeholder('upTo')}` })
        .where(
          and(
            eq(webhookSubscriptions.id, sql.placeholder('id')),
            eq(webhookSubscriptions.eventCursor, sql.placeholder('cursor')),
          ),
        )
        .toSQL(),
    { upTo, id: subscription.id, cursor: subscription.eventCursor },
  );
  const e = deliveryEvents;
  const insert = compiledOnce(
    'webhook-fan-out',
    () =>
      db
        .insert(webhookDeliveries)
        .select(
          db
            .select({
              id: sql`'msg_' || lower(hex(randomblob(12)))`.as('id'),
              subscriptionId: bound('subscriptionId').as('subscription_id'),
              eventSeq: e.seq,
              messageId: e.messageId,
              state: sql`'PENDING'`.as('state'),
              attempts: sql`0`.as('attempts'),
              nextAttemptAt: bound('now').as('next_attempt_at'),
              giveUpAt: bound('giveUpAt').as('give_up_at'),
              leaseOwner: sql`null`.as('lease_owner'),
              leaseUntil: sql`null`.as('lease_until'),
              lastStatus: sql`null`.as('last_status'),
              lastError: sql`null`.as('last_error'),
              timeCreated: bound('now').as('time_created'),
              timeUpdated: bound('now').as('time_updated'),
            })
            .from(e)
            .where(
              and(
                sql`changes() > 0`,
                eq(e.tenancyId, sql.placeholder('tenancyId')),
                eq(e.compartmentId, sql.placeholder('compartmentId')),
                sql`${e.seq} > ${sql.placeholder('cursor')}`,
                sql`${e.seq} <= ${sql.placeholder('upTo')}`,
                sql`${e.eventType} IN (SELECT value FROM json_each(${sql.placeholder('eventTypes')}))`,
              ),
            ),
        )
        .toSQL(),
    {
      subscriptionId: subscription.id,
      now: now.getTime(),
      giveUpAt: giveUpAt.getTime(),
      tenancyId: subscription.tenancyId,
      compartmentId: subscription.compartmentId,
      cursor: subscription.eventCursor,
      upTo,
      eventTypes: JSON.stringify(subscription.eventTypes),
    },
  );
  return [moveCursor, insert];
}

/** One answer on its delivery, guarded by the lease: compiled once, bound per answer. */
function resultStatement(db: Database): CompiledStatement {
  return db
    .update(webhookDeliveries)
    .set({
      state: bound('state'),
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      nextAttemptAt: bound('nextAttemptAt'),
      leaseOwner: null,
      leaseUntil: null,
      lastStatus: bound('lastStatus'),
      lastError: bound('lastError'),
      timeUpdated: bound('timeUpdated'),
    })
    .where(
      and(
        eq(webhookDeliveries.id, sql.placeholder('id')),
        eq(webhookDeliveries.leaseOwner, sql.placeholder('owner')),
        eq(webhookDeliveries.state, 'PENDING'),
      ),
    )
    .toSQL();
}

function dueAt(now: number) {
  return and(
    eq(webhookDeliveries.state, 'PENDING'),
    sql`${webhookDeliveries.nextAttemptAt} <= ${now}`,
    or(sql`${webhookDeliveries.leaseUntil} IS NULL`, sql`${webhookDeliveries.leaseUntil} <= ${now}`),
  );
}

export function webhookQueue({ db, batch }: SqlDatabase): WebhookQueue {
  return {
    async fanOut(now, giveUpAt, limit) {
      const subscriptions = await db
        .select({
          id: webhookSubscriptions.id,
          tenancyId: webhookSubscriptions.tenancyId,
          compartmentId: webhookSubscriptions.compartmentId,
          eventTypes: webhookSubscriptions.eventTypes,
          eventCursor: webhookSubscriptions.eventCursor,
        })
        .from(webhookSubscriptions)
        .where(eq(webhookSubscriptions.lifecycleState, 'ACTIVE'));
      if (subscriptions.length === 0) return 0;
      const last = await lastEventSeq(db);
      let made = 0;
      for (const subscription of subscriptions) {
        if (subscription.eventCursor >= last) continue;
        const upTo = Math.min(last, subscription.eventCursor + limit);
        const [, inserted] = await batch(fanOutStatements(db, subscription, upTo, now, giveUpAt));
        made += inserted?.length ?? 0;
      }
      return made;
    },

    async claimDue(owner, now, leaseUntil, limit) {
      const at = now.getTime();
      const d = webhookDeliveries;
      // The oldest pending delivery of each message and subscription: later ones wait for it to end.
      const candidates = sql`SELECT ${d.id} FROM ${d} JOIN ${webhookSubscriptions} ON ${webhookSubscriptions.id} = ${d.subscriptionId}
        WHERE ${dueAt(at)} AND ${webhookSubscriptions.lifecycleState} = 'ACTIVE'
        AND NOT EXISTS (SELECT 1 FROM ${d} AS earlier WHERE earlier.subscription_id = ${d.subscriptionId}
          AND earlier.message_id = ${d.messageId} AND earlier.state = 'PENDING' AND earlier.event_seq < ${d.eventSeq})
        ORDER BY ${d.nextAttemptAt} LIMIT ${limit}`;
      const claimed = await db
        .update(d)
        .set({ leaseOwner: owner, leaseUntil: leaseUntil.getTime() })
        .where(and(sql`${d.id} IN (${candidates})`, dueAt(at)))
        .returning();
      if (claimed.length === 0) return [];
      const subscriptionIds = [...new Set(claimed.map((row) => row.subscriptionId))];
      const subscriptions = new Map<string, { url: string; sealedSecret: string }>();
      for (const group of chunks(subscriptionIds, MAX_IN_LIST)) {
        const rows = await db
          .select({
            id: webhookSubscriptions.id,
            url: webhookSubscriptions.url,
            sealedSecret: webhookSubscriptions.sealedSecret,
          })
          .from(webhookSubscriptions)
          .where(inArray(webhookSubscriptions.id, group));
        for (const row of rows) subscriptions.set(row.id, row);
      }
      const events = new Map<number, ReturnType<typeof toEvent>>();
      for (const group of chunks([...new Set(claimed.map((row) => row.eventSeq))], MAX_IN_LIST)) {
        const rows = await db.select().from(deliveryEvents).where(inArray(deliveryEvents.seq, group));
        for (const row of rows) events.set(row.seq, toEvent(row));
      }
      return claimed.flatMap((row): ClaimedWebhookDelivery[] => {
        const subscription = subscriptions.get(row.subscriptionId);
        if (!subscription) return [];
        return [
          {
            id: row.id,
            subscriptionId: row.subscriptionId,
            url: subscription.url,
            sealedSecret: subscription.sealedSecret,
            attempts: row.attempts,
            giveUpAt: new Date(row.giveUpAt),
            event: events.get(row.eventSeq),
          },
        ];
      });
    },

    async complete(owner, results, disable) {
      const statements: CompiledStatement[] = results.map((result) =>
        compiledOnce('webhook-result', () => resultStatement(db), {
          state: result.state,
          nextAttemptAt: result.nextAttemptAt?.getTime() ?? result.at.getTime(),
          lastStatus: result.status,
          lastError: result.error?.slice(0, MAX_STORED_ERROR) ?? null,
          timeUpdated: result.at.getTime(),
          id: result.id,
          owner,
        }),
      );
      // One update per subscription: an answer from its endpoint ends its failing streak; otherwise the
      // streak starts, or, when it began before `disable.before`, the subscription is disabled.
      const streaks = new Map<string, Date | null>(); // null: the endpoint answered in this group
      for (const result of results) {
        if (result.state === 'DELIVERED') streaks.set(result.subscriptionId, null);
        else if (!streaks.has(result.subscriptionId)) streaks.set(result.subscriptionId, result.at);
      }
      const disabling: number[] = [];
      for (const [subscriptionId, failedAt] of streaks) {
        const subscription = eq(webhookSubscriptions.id, subscriptionId);
        if (!failedAt) {
          statements.push(
            db.update(webhookSubscriptions).set({ failingSince: null }).where(subscription).toSQL(),
          );
          continue;
        }
        const failing = webhookSubscriptions.failingSince;
        const overdue = sql`${failing} IS NOT NULL AND ${failing} <= ${disable.before.getTime()}`;
        disabling.push(statements.length);
        statements.push(
          db
            .update(webhookSubscriptions)
            .set({
              failingSince: sql`coalesce(${failing}, ${failedAt.getTime()})`,
              lifecycleState: sql`CASE WHEN ${overdue} THEN 'NEEDS_ATTENTION' ELSE ${webhookSubscriptions.lifecycleState} END`,
              lifecycleDetails: sql`CASE WHEN ${overdue} THEN ${disable.details} ELSE ${webhookSubscriptions.lifecycleDetails} END`,
            })
            .where(and(subscription, eq(webhookSubscriptions.lifecycleState, 'ACTIVE')))
            .returning({ id: webhookSubscriptions.id, state: webhookSubscriptions.lifecycleState })
            .toSQL(),
        );
      }
      if (statements.length === 0) return [];
      const answers = await batch(statements);
      return disabling.flatMap((index) =>
        (answers[index] ?? []).filter((row) => row.state === 'NEEDS_ATTENTION').map((row) => String(row.id)),
      );
    },

    async purgeFinished(before, limit) {
      const finished = db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(
          and(
            inArray(webhookDeliveries.state, ['DELIVERED', 'FAILED']),
            lt(webhookDeliveries.timeUpdated, before.getTime()),
          ),
        )
        .orderBy(asc(webhookDeliveries.timeUpdated))
        .limit(limit);
      const removed = await db
        .delete(webhookDeliveries)
        .where(inArray(webhookDeliveries.id, finished))
        .returning({ id: webhookDeliveries.id });
      return removed.length;
    },
  };
}
