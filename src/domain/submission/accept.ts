import { receivedField, type ReceivedTrace } from '../../mime/received-field';
import { DAY_MS, MINUTE_MS } from '../../values/durations';
import { domainOf } from '../email-address';
import type { Caller, DeliveryTrigger, RegionHandle, Runtime, TenancyScope } from '../ports';
import { utf8Length } from '../../mime/utf8-length';
import type { SubmissionLimits } from './limits';
import { newMessageId } from './message-id';
import type { NewDelivery, QuotaCharge, StoredSubmission } from './ports';
import { BLACKHOLE_DOMAIN, isBlackholeAddress, scenarioOf } from '../simulator';
import type { Recipient } from './recipients';
import { rejectSubmission, type SubmissionLogContext } from './rejection';
import { senderStanding } from './sender-standing';
import { acceptanceEvents } from '../events/record';

const ENVELOPE_ID_LENGTH = 32;
const DELIVERY_ID_LENGTH = 32;

export interface SubmissionContext {
  rt: Runtime;
  region: RegionHandle;
  caller: Caller;
  limits: SubmissionLimits;
  trigger: DeliveryTrigger;
  /** Where the message came in, for the Received field this hop adds; none when a hop before wrote it. */
  received?: Pick<ReceivedTrace, 'helo' | 'clientAddress' | 'by' | 'protocol'>;
}

/** What both submit verbs hand over once the request itself has been checked. */
export interface SubmissionDraft<R extends Record<string, unknown>> {
  compartmentId: string;
  /** Every address that must be an ACTIVE approved sender the caller may use (header From and envelope). */
  senderAddresses: readonly string[];
  envelopeSender: string;
  recipients: readonly Recipient[];
  clientMessageId: string | undefined;
  /** The caller's opc-request-id: a retry carries the same one. */
  requestKey: string | undefined;
  contentHash: string;
  /** The message as it will be relayed, in pieces to be joined, given its Message-ID (without angle brackets). */
  compose(messageId: string): readonly string[];
  /** The answer, stored and replayed to retries. */
  respond(answer: { messageId: string; envelopeId: string; suppressed: Recipient[] }): R;
}

function senderRefusal(
  ctx: SubmissionContext,
  log: SubmissionLogContext,
  compartmentId: string,
  address: string,
) {
  return rejectSubmission(
    ctx.rt.logger,
    log,
    'Authorization failure',
    'NotAuthorizedOrNotFound',
    `${address} is not an active approved sender in compartment ${compartmentId} of region ${ctx.region.id}, or you may not use it`,
  );
}

type Earlier =
  { kind: 'replay'; submission: StoredSubmission } | { kind: 'new'; requestKey: string | undefined };

const findEarlier = (scope: TenancyScope, draft: SubmissionDraft<Record<string, unknown>>) =>
  scope.submissions.findExisting(draft.requestKey, draft.clientMessageId);

/** A retry (same request key, same content) or a reused Message-ID with the same content is the same submission. */
function earlierSubmission(
  ctx: SubmissionContext,
  log: SubmissionLogContext,
  draft: SubmissionDraft<Record<string, unknown>>,
  found: readonly StoredSubmission[],
): Earlier {
  const byKey = found.find((s) => draft.requestKey !== undefined && s.requestKey === draft.requestKey);
  if (byKey?.contentHash === draft.contentHash) return { kind: 'replay', submission: byKey };
  const byMessage = found.find(
    (s) => draft.clientMessageId !== undefined && s.messageId === draft.clientMessageId,
  );
  if (byMessage?.contentHash === draft.contentHash) return { kind: 'replay', submission: byMessage };
  if (byMessage) {
    throw rejectSubmission(
      ctx.rt.logger,
      log,
      'Duplicate message',
      'Conflict',
      `messageId ${draft.clientMessageId ?? ''} was already used for a different message`,
    );
  }
  // The same opc-request-id on other content is not a retry: accept it, without the key.
  return { kind: 'new', requestKey: byKey ? undefined : draft.requestKey };
}

function quotaCharges(now: Date, amount: number, limits: SubmissionLimits): QuotaCharge[] {
  if (amount === 0) return [];
  const t = now.getTime();
  return [
    { window: 'day', windowStart: t - (t % DAY_MS), amount, limit: limits.emailsPerDay },
    { window: 'minute', windowStart: t - (t % MINUTE_MS), amount, limit: limits.emailsPerMinute },
  ];
}

async function quotaRefusal(
  ctx: SubmissionContext,
  scope: TenancyScope,
  log: SubmissionLogContext,
  charges: QuotaCharge[],
): Promise<Error | undefined> {
  if (charges.length === 0) return undefined;
  const used = await scope.submissions.quotaUsed(charges);
  const over = charges.find((charge, i) => (used[i] ?? 0) + charge.amount > charge.limit);
  if (!over) return undefined;
  const daily = over.window === 'day';
  return rejectSubmission(
    ctx.rt.logger,
    log,
    daily ? 'Daily Limit reached' : 'Sender Rate Limit reached',
    'TooManyRequests',
    daily
      ? `The tenancy's daily sending quota in ${ctx.region.id} (${over.limit} recipients a day) is used up`
      : `The tenancy's sending rate in ${ctx.region.id} is limited to ${over.limit} recipients a minute`,
  );
}

function deliveryRows(
  ctx: SubmissionContext,
  recipients: readonly Recipient[],
  suppressed: Set<string>,
  now: Date,
): NewDelivery[] {
  const giveUpAt = new Date(now.getTime() + ctx.limits.giveUpMs);
  return recipients.map((recipient): NewDelivery => {
    const base = { id: ctx.rt.ids.ordered(DELIVERY_ID_LENGTH), recipient: recipient.address, giveUpAt };
    if (suppressed.has(recipient.key)) {
      const lastDetail = 'Recipient suppressed: the address is on the suppression list of this region';
      return { ...base, state: 'SUPPRESSED', nextAttemptAt: null, lastDetail, timeFinal: now };
    }
    if (isBlackholeAddress(recipient.key) && scenarioOf(recipient.key) === undefined) {
      const lastDetail = `${BLACKHOLE_DOMAIN}: accepted and counted as delivered, never relayed`;
      return { ...base, state: 'DELIVERED', nextAttemptAt: null, lastDetail, timeFinal: now };
    }
    return { ...base, state: 'QUEUED', nextAttemptAt: now, lastDetail: null, timeFinal: null };
  });
}

/**
 * Accepts a checked submission: the sender must be usable, the size and quotas allow it; then the
 * submission, its message, one row per recipient, the quota and the suppressions touched are written at once.
 */
export async function acceptSubmission<R extends Record<string, unknown>>(
  ctx: SubmissionContext,
  draft: SubmissionDraft<R>,
): Promise<R> {
  const { rt, region, caller, limits } = ctx;
  const scope = region.store.forTenancy(caller.tenancyId);
  const log: SubmissionLogContext = {
    region: region.id,
    sender: draft.envelopeSender,
    messageId: draft.clientMessageId,
  };
  // Every lookup the checks need is started at once, so a request waits for one round of them; the checks
  // then decide in order, as if each had been read alone.
  const standings = draft.senderAddresses.map((address) =>
    senderStanding(scope, caller, draft.compartmentId, address),
  );
  const found = findEarlier(scope, draft);
  const suppressedLookup = scope.submissions.suppressedAmong(draft.recipients.map((r) => r.key));
  for (const pending of [...standings, found, suppressedLookup]) pending.catch(() => undefined);
  for (const [i, address] of draft.senderAddresses.entries()) {
    if ((await standings[i]) !== 'usable') throw senderRefusal(ctx, log, draft.compartmentId, address);
  }
  const earlier = earlierSubmission(ctx, log, draft, await found);
  if (earlier.kind === 'replay') {
    rt.logger.info('email.replayed', {
      region: region.id,
      messageId: earlier.submission.messageId,
      envelopeId: earlier.submission.id,
    });
    return earlier.submission.response as R;
  }

  const now = rt.clock.now();
  const messageId = draft.clientMessageId ?? newMessageId(rt.ids, domainOf(draft.envelopeSender));
  log.messageId = messageId;
  const envelopeId = rt.ids.ordered(ENVELOPE_ID_LENGTH);
  const trace = ctx.received
    ? receivedField({
        ...ctx.received,
        id: envelopeId,
        recipients: draft.recipients.map((r) => r.address),
        date: now,
      })
    : '';
  const message = [trace, ...draft.compose(messageId)];
  // Measured piece by piece: joined, the message would be copied whole.
  const sizeBytes = message.reduce((bytes, piece) => bytes + utf8Length(piece), 0);
  if (sizeBytes > limits.maxMessageBytes) {
    throw rejectSubmission(
      rt.logger,
      log,
      'Byte limit exceeded',
      'PayloadTooLarge',
      `The message is ${sizeBytes} bytes; region ${region.id} accepts at most ${limits.maxMessageBytes}`,
    );
  }
  const suppressed = await suppressedLookup;
  const charges = quotaCharges(now, draft.recipients.filter((r) => !suppressed.has(r.key)).length, limits);
  // The write's guard covers a window already in use; a message larger than a whole window is refused here.
  if (charges.some((charge) => charge.amount > charge.limit)) {
    const refusal = await quotaRefusal(ctx, scope, log, charges);
    if (refusal) throw refusal;
  }

  const suppressedRecipients = draft.recipients.filter((r) => suppressed.has(r.key));
  const response = draft.respond({ messageId, envelopeId, suppressed: suppressedRecipients });
  const deliveries = deliveryRows(ctx, draft.recipients, suppressed, now);
  const sent = { compartmentId: draft.compartmentId, messageId, sender: draft.envelopeSender };
  const events = acceptanceEvents(rt.ids, sent, deliveries, now);
  const outcome = await scope.submissions.accept(
    {
      submission: {
        id: envelopeId,
        requestKey: earlier.requestKey ?? null,
        contentHash: draft.contentHash,
        messageId,
        sender: draft.envelopeSender,
        compartmentId: draft.compartmentId,
        response,
        timeCreated: now,
        sizeBytes,
      },
      message,
      deliveries,
      quota: charges,
      suppressedHit: suppressedRecipients.map((r) => r.key),
      events,
    },
    now,
  );
  if (outcome === 'over-quota') {
    // The write itself enforces the quota (no read before it); only a refusal looks at which window is full.
    const refusal = await quotaRefusal(ctx, scope, log, charges);
    throw (
      refusal ??
      rejectSubmission(
        rt.logger,
        log,
        'Sender Rate Limit reached',
        'TooManyRequests',
        'The sending quota is used up',
      )
    );
  }
  if (outcome === 'duplicate') {
    // A twin of this request won the race: answer as it was answered, or refuse a reused Message-ID.
    const twin = earlierSubmission(ctx, log, draft, await findEarlier(scope, draft));
    if (twin.kind === 'replay') return twin.submission.response as R;
    throw rejectSubmission(
      rt.logger,
      log,
      'Duplicate message',
      'Conflict',
      `messageId ${messageId} is already in use`,
    );
  }

  rt.events?.committed(region.id, caller.tenancyId, events);
  for (const delivery of deliveries) {
    rt.logger.info('email.accepted', {
      action: 'accepted',
      region: region.id,
      sender: draft.envelopeSender,
      recipient: delivery.recipient,
      messageId,
      envelopeId,
      state: delivery.state,
      errorType: delivery.state === 'SUPPRESSED' ? 'Recipient suppressed' : undefined,
    });
  }
  // Also with nothing to relay: the events just written are for the region's webhooks.
  ctx.trigger.accepted(region);
  return response;
}
