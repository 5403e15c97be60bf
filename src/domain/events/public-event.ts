import { domainOf } from '../email-address';
import type { DeliveryEvent, DeliveryEventType } from './ports';

/** OCI's log categories: acceptance for what happened at submit, relay for what happened after. */
const logTypeOf: Record<DeliveryEventType, 'outboundAccepted' | 'outboundRelayed'> = {
  ACCEPTED: 'outboundAccepted',
  SUPPRESSED: 'outboundAccepted',
  RELAYED: 'outboundRelayed',
  DEFERRED: 'outboundRelayed',
  BOUNCED: 'outboundRelayed',
  EXPIRED: 'outboundRelayed',
  COMPLAINED: 'outboundRelayed',
  UNSUBSCRIBED: 'outboundRelayed',
};

/** The `action` field as OCI's log records name it. */
const actionOf: Record<DeliveryEventType, string> = {
  ACCEPTED: 'accept',
  SUPPRESSED: 'accept',
  RELAYED: 'relay',
  DEFERRED: 'defer',
  BOUNCED: 'bounce',
  EXPIRED: 'expire',
  COMPLAINED: 'complaint',
  UNSUBSCRIBED: 'unsubscribe',
};

/** `250 2.0.0 ...` as OCI's smtpStatus reads: the reply itself when it starts with its code. */
function smtpStatus(event: DeliveryEvent): string | undefined {
  if (event.smtpCode === null) return undefined;
  if (event.detail?.startsWith(String(event.smtpCode))) return event.detail;
  return [event.smtpCode, event.enhancedCode, event.detail].filter((part) => part !== null).join(' ');
}

/** One event as the event log and the webhooks publish it. */
export function publicEvent(event: DeliveryEvent) {
  const status = smtpStatus(event);
  return {
    id: event.id,
    eventType: event.eventType,
    logType: logTypeOf[event.eventType],
    action: actionOf[event.eventType],
    compartmentId: event.compartmentId,
    messageId: event.messageId,
    sender: event.sender,
    recipient: event.recipient,
    receivingDomain: domainOf(event.recipient),
    ...(status !== undefined ? { smtpStatus: status } : {}),
    ...(event.enhancedCode !== null ? { enhancedStatusCode: event.enhancedCode } : {}),
    ...(event.detail !== null && status === undefined ? { detail: event.detail } : {}),
    ...(event.errorType !== null ? { errorType: event.errorType } : {}),
    ...(event.relayHost !== null ? { relayHost: event.relayHost } : {}),
    ...(event.attempt !== null ? { attempt: event.attempt } : {}),
    ...(event.latencyMs !== null ? { latencyInMs: event.latencyMs } : {}),
    timeCreated: event.timeCreated.toISOString(),
  };
}
