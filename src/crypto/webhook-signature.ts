import { createHmac } from 'node:crypto';
import { fromBase64, toBase64 } from './base64';

const SECRET_PREFIX = 'whsec_';

const SECRET_BYTES = 24;

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/**
 * The `webhook-signature` header of the Standard Webhooks specification: `v1,` and the base64 HMAC-SHA256,
 * under the secret's bytes, of `<webhook-id>.<webhook-timestamp>.<body>`.
 */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const mac = createHmac('sha256', key)
    .update(`${id}.${String(timestamp)}.${body}`)
    .digest();
  return `v1,${toBase64(new Uint8Array(mac))}`;
}
