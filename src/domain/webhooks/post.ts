import { webhookSignature } from '../../crypto/webhook-signature';
import type { WebhookTransport } from './ports';

/** Posts `payload` as JSON with the Standard Webhooks headers: id, timestamp (seconds) and signature. */
export function signedPost(
  transport: WebhookTransport,
  url: string,
  secret: string,
  webhookId: string,
  at: Date,
  payload: unknown,
) {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(at.getTime() / 1_000);
  return transport.post(
    url,
    {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignature(secret, webhookId, timestamp, body),
    },
    body,
  );
}
