import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type {
  DeliveryEvent,
  DeliveryEventFilter,
  DeliveryEventRepository,
  DeliveryEventType,
  MetricsBucket,
  NewDeliveryEvent,
} from '../../domain/events/ports';
import { METRICS_INTERVAL_MS } from '../../domain/events/ports';
import type { CompiledStatement, Database, SqlDatabase } from '../database';
import { chunks, rowsPerInsert } from '../sql/batching';
import { compiledInsert, compiledOnce } from '../sql/compiled-statements';
import { keysetClauses, toPage } from '../sql/keyset';
import { deliveryEvents, submissions } from '../schema';

const EVENT_COLUMNS = 17;
/** The longest reply or detail kept per event: two RFC 5321 reply lines. */
const MAX_EVENT_DETAIL = 1_024;

type EventRow = typeof deliveryEvents.$inferSelect;

/** An event as a row of the tenancy; seq null lets SQLite number it. */
export function eventRow(
  tenancyId: string,
  compartmentId: string,
  event: NewDeliveryEvent,
): typeof deliveryEvents.$inferInsert {
  return {
    seq: null as unknown as number,
    id: event.id,
    tenancyId,
    compartmentId,
    eventType: event.eventType,
    messageId: event.messageId,
    deliveryId: event.deliveryId,
    sender: event.sender,
    recipient: event.recipient,
    smtpCode: event.smtpCode,
    enhancedCode: event.enhancedCode,
    detail: event.detail?.slice(0, MAX_EVENT_DETAIL) ?? null,
    errorType: event.errorType,
    relayHost: event.relayHost,
    attempt: event.attempt,
    latencyMs: event.latencyMs,
    timeCreated: event.timeCreated.getTime(),
  };
}

/** Inserts of complete rows, as few statements as D1's bound-parameter limit allows. */
export function eventInserts(
  db: Database,
  rows: readonly (typeof deliveryEvents.$inferInsert)[],
): CompiledStatement[] {
  return chunks(rows, rowsPerInsert(EVENT_COLUMNS)).map((group) => compiledInsert(db, deliveryEvents, group));
}

const bound = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * The event of one completion, written only when the completion's UPDATE (the statement just before it in
 * the same transaction) changed its row, so an attempt whose lease was lost records nothing. The tenancy
 * and compartment come from the submission.
 */
export function completionEventStatement(
  db: Database,
  submissionId: string,
  event: NewDeliveryEvent,
): CompiledStatement {
  const build = () =>
    db
      .insert(deliveryEvents)
      .select(
        db
          .select({
            seq: sql`null`.as('seq'),
            id: bound('id').as('id'),
            tenancyId: submissions.tenancyId,
            compartmentId: submissions.compartmentId,
            eventType: bound('eventType').as('event_type'),
            messageId: bound('messageId').as('message_id'),
            deliveryId: bound('deliveryId').as('delivery_id'),
            sender: bound('sender').as('sender'),
            recipient: bound('recipient').as('recipient'),
            smtpCode: bound('smtpCode').as('smtp_code'),
            enhancedCode: bound('enhancedCode').as('enhanced_code'),
            detail: bound('detail').as('detail'),
            errorType: bound('errorType').as('error_type'),
            relayHost: bound('relayHost').as('relay_host'),
            attempt: bound('attempt').as('attempt'),
            latencyMs: bound('latencyMs').as('latency_ms'),
            timeCreated: bound('timeCreated').as('time_created'),
          })
          .from(submissions)
          .where(and(eq(submissions.id, sql.placeholder('submissionId')), sql`changes() > 0`)),
      )
      .toSQL();
  const { compartmentId: _c, tenancyId: _t, seq: _s, ...values } = eventRow('', '', event);
  return compiledOnce('completion-event', build, { ...values, submissionId });
}

export function toEvent(row: EventRow): DeliveryEvent {
  return {
    seq: row.seq,
    id: row.id,
    compartmentId: row.compartmentId,
    eventType: row.eventType as DeliveryEventType,
    messageId: row.messageId,
    deliveryId: row.deliveryId,
    sender: row.sender,
    recipient: row.recipient,
    smtpCode: row.smtpCode,
    enhancedCode: row.enhancedCode,
    detail: row.detail,
    errorType: row.errorType,
    relayHost: row.relayHost,
    attempt: row.attempt,
    latencyMs: row.latencyMs,
    timeCreated: new Date(row.timeCreated),
  };
}

function filterClauses(tenancyId: string, filter: DeliveryEventFilter): SQL[] {
  const clauses: SQL[] = [
    eq(deliveryEvents.tenancyId, tenancyId),
    eq(deliveryEvents.compartmentId, filter.compartmentId),
  ];
  if (filter.timeGreaterThanOrEqualTo)
    clauses.push(gte(deliveryEvents.timeCreated, filter.timeGreaterThanOrEqualTo.getTime()));
  if (filter.timeLessThan) clauses.push(lt(deliveryEvents.timeCreated, filter.timeLessThan.getTime()));
  if (filter.messageId !== undefined) clauses.push(eq(deliveryEvents.messageId, filter.messageId));
  if (filter.recipient !== undefined)
    clauses.push(sql`lower(${deliveryEvents.recipient}) = ${filter.recipient.toLowerCase()}`);
  if (filter.sender !== undefined)
    clauses.push(sql`lower(${deliveryEvents.sender}) = ${filter.sender.toLowerCase()}`);
  if (filter.eventType !== undefined) clauses.push(eq(deliveryEvents.eventType, filter.eventType));
  return clauses;
}

export function deliveryEventRepository(
  { db, batch }: SqlDatabase,
  tenancyId: string,
  eventLog = true,
): DeliveryEventRepository {
  /** The compartment and sender of the message a feedback event names, when the event does not carry them. */
  async function sentFrom(messageId: string) {
    const [row] = await db
      .select({ compartmentId: submissions.compartmentId, sender: submissions.sender })
      .from(submissions)
      .where(and(eq(submissions.tenancyId, tenancyId), eq(submissions.messageId, messageId)))
      .limit(1);
    return row;
  }

  return {
    async record(events) {
      if (!eventLog) return;
      const rows = [];
      for (const event of events) {
        const known = event.compartmentId === undefined ? await sentFrom(event.messageId) : undefined;
        rows.push(
          eventRow(tenancyId, event.compartmentId ?? known?.compartmentId ?? tenancyId, {
            ...event,
            sender: event.sender || (known?.sender ?? ''),
          }),
        );
      }
      if (rows.length > 0) await batch(eventInserts(db, rows));
    },

    async list(filter, options) {
      // seq breaks ties in write order: an acceptance and its simulated relay share one millisecond.
      const { after, orderBy } = keysetClauses(deliveryEvents.timeCreated, deliveryEvents.seq, options);
      const rows = await db
        .select()
        .from(deliveryEvents)
        .where(and(...filterClauses(tenancyId, filter), after))
        .orderBy(...orderBy)
        .limit(options.limit + 1);
      return toPage(
        rows,
        options.limit,
        (r) => r.timeCreated,
        (r) => String(r.seq),
        toEvent,
      );
    },

    async metrics(filter, interval) {
      const width = METRICS_INTERVAL_MS[interval];
      const bucket = sql<number>`(${deliveryEvents.timeCreated} / ${width}) * ${width}`;
      const rows = await db
        .select({
          bucket,
          eventType: deliveryEvents.eventType,
          count: sql<number>`count(*)`,
          latencyCount: sql<number>`count(${deliveryEvents.latencyMs})`,
          latencyTotal: sql<number>`coalesce(sum(${deliveryEvents.latencyMs}), 0)`,
          latencyMax: sql<number>`coalesce(max(${deliveryEvents.latencyMs}), 0)`,
        })
        .from(deliveryEvents)
        .where(and(...filterClauses(tenancyId, filter)))
        .groupBy(bucket, deliveryEvents.eventType)
        .orderBy(asc(bucket));
      const buckets = new Map<number, MetricsBucket>();
      for (const row of rows) {
        const start = row.bucket;
        let entry = buckets.get(start);
        if (!entry) {
          entry = {
            timeStart: new Date(start),
            counts: {},
            relayLatency: { count: 0, totalMs: 0, maxMs: 0 },
          };
          buckets.set(start, entry);
        }
        entry.counts[row.eventType as DeliveryEventType] = row.count;
        if (row.eventType === 'RELAYED') {
          entry.relayLatency = {
            count: row.latencyCount,
            totalMs: row.latencyTotal,
            maxMs: row.latencyMax,
          };
        }
      }
      return [...buckets.values()];
    },
  };
}

/** Removes up to `limit` events written before `before`, across tenancies, oldest first; returns how many. */
export async function purgeEvents(db: Database, before: Date, limit: number): Promise<number> {
  // In seq order the oldest come first, so the scan stops after `limit` rows without a time index.
  const oldest = db
    .select({ seq: deliveryEvents.seq })
    .from(deliveryEvents)
    .where(lt(deliveryEvents.timeCreated, before.getTime()))
    .orderBy(asc(deliveryEvents.seq))
    .limit(limit);
  const removed = await db
    .delete(deliveryEvents)
    .where(inArray(deliveryEvents.seq, oldest))
    .returning({ seq: deliveryEvents.seq });
  return removed.length;
}
