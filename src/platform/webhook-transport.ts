import { errorSummary } from '../domain/errors';
import type { WebhookTransport } from '../domain/webhooks/ports';

/** A receiver that has not answered by then is counted as failed, and tried again later. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Posts with the runtime's own fetch (Node and Workers alike). Redirects are not followed: the endpoint
 * registered is the one that gets the signed event. The response body is not read.
 */
export function fetchWebhookTransport(timeoutMs = WEBHOOK_TIMEOUT_MS): WebhookTransport {
  return {
    async post(url, headers, body) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        return { status: response.status };
      } catch (error) {
        const { error: name, code, detail } = errorSummary(error);
        if (name === 'TimeoutError') return { error: `no answer within ${String(timeoutMs)} ms` };
        return { error: [name, code, detail].filter(Boolean).join(': ') };
      }
    },
  };
}
