import type { Attempt } from '../delivery/attempt';
import { attemptsMade } from '../delivery/attempt';
import type { DeliveryDecision, Ids, RegionHandle, Runtime } from '../ports';
import type { NewDelivery } from '../submission/ports';
import type { DeliveryEventType, NewDeliveryEvent } from './ports';

const EVENT_ID_LENGTH = 32;

const eventTypeOf: Record<DeliveryDecision['state'], DeliveryEventType> = {
  DELIVERED: 'RELAYED',
  QUEUED: 'DEFERRED',
  FAILED: 'BOUNCED',
  EXPIRED: 'EXPIRED',
  SUPPRESSED: 'SUPPRESSED',
};

const RECIPIENT_SUPPRESSED = 'Recipient suppressed';

type EventFields = Omit<NewDeliveryEvent, 'id'>;

const blank = {
  smtpCode: null,
  enhancedCode: null,
  detail: null,
  errorType: null,
  relayHost: null,
  attempt: null,
  latencyMs: null,
} as const;

const withId = (ids: Ids, fields: EventFields): NewDeliveryEvent => ({
  id: ids.ordered(EVENT_ID_LENGTH),
  ...fields,
});

/** What an acceptance did to each recipient: accepted, suppressed, or accepted and relayed by the simulator. */
export function acceptanceEvents(
  ids: Ids,
  message: { compartmentId: string; messageId: string; sender: string },
  deliveries: readonly NewDelivery[],
  now: Date,
): NewDeliveryEvent[] {
  return deliveries.flatMap((delivery) => {
    const base = {
      ...blank,
      compartmentId: message.compartmentId,
      messageId: message.messageId,
      sender: message.sender,
      recipient: delivery.recipient,
      deliveryId: delivery.id,
      timeCreated: now,
    };
    if (delivery.state === 'SUPPRESSED') {
      return [
        withId(ids, {
          ...base,
          eventType: 'SUPPRESSED',
          detail: delivery.lastDetail,
          errorType: RECIPIENT_SUPPRESSED,
        }),
      ];
    }
    const accepted = withId(ids, { ...base, eventType: 'ACCEPTED' });
    if (delivery.state === 'QUEUED') return [accepted];
    const relayed = { ...base, eventType: 'RELAYED', detail: delivery.lastDetail, latencyMs: 0 } as const;
    return [accepted, withId(ids, relayed)];
  });
}

/**
 * What one recorded attempt did to the copy; undefined for a row handed back untried. The compartment is the
 * submission's, filled in by the store.
 */
export function attemptEvent(region: RegionHandle, attempt: Attempt, ids: Ids, at: Date) {
  const { row, decision, outcome } = attempt;
  if (decision.state === 'QUEUED' && !outcome) return undefined;
  const suppressed = decision.state === 'SUPPRESSED';
  return withId(ids, {
    ...blank,
    compartmentId: undefined,
    eventType: eventTypeOf[decision.state],
    messageId: row.messageId,
    deliveryId: row.id,
    sender: row.sender,
    recipient: row.recipient,
    smtpCode: outcome?.code ?? null,
    enhancedCode: outcome?.enhanced ?? null,
    detail: suppressed ? 'The address is on the suppression list of this region' : (outcome?.detail ?? null),
    errorType: suppressed ? RECIPIENT_SUPPRESSED : null,
    relayHost: outcome ? (outcome.answeredBy?.host ?? region.relay.host ?? null) : null,
    attempt: outcome ? attemptsMade(attempt) : null,
    latencyMs: decision.state === 'DELIVERED' ? at.getTime() - row.acceptedAt.getTime() : null,
    timeCreated: at,
  });
}

/** What a recipient or a receiving server reported after the copy left: a complaint, an unsubscribe, a DSN. */
export interface ReportedReaction {
  tenancyId: string;
  eventType: Extract<DeliveryEventType, 'COMPLAINED' | 'UNSUBSCRIBED' | 'BOUNCED' | 'DEFERRED'>;
  messageId: string;
  /** Empty when unknown: the store takes the message's sender. */
  sender: string;
  recipient: string;
  detail: string | null;
  reportedBy: string | null;
}

/** The event of a suppression reason a recipient causes by reacting. */
export const reactionOf = { COMPLAINT: 'COMPLAINED', UNSUBSCRIBE: 'UNSUBSCRIBED' } as const;

/** Writes the event of a reported reaction and tells the observer. */
export async function recordReaction(rt: Runtime, region: RegionHandle, reaction: ReportedReaction) {
  const event = withId(rt.ids, {
    ...blank,
    compartmentId: undefined,
    eventType: reaction.eventType,
    messageId: reaction.messageId,
    deliveryId: null,
    sender: reaction.sender,
    recipient: reaction.recipient,
    detail: reaction.detail,
    relayHost: reaction.reportedBy,
    timeCreated: rt.clock.now(),
  });
  await region.store.forTenancy(reaction.tenancyId).events.record([event]);
  rt.events?.committed(region.id, reaction.tenancyId, [event]);
}
