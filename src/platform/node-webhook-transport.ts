import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { errorSummary } from '../domain/errors';
import type { WebhookTransport } from '../domain/webhooks/ports';
import { WEBHOOK_TIMEOUT_MS } from './webhook-transport';

/** Connections kept open per receiver: as many as posts go out at once. */
const SOCKETS_PER_HOST = 8;

/**
 * Node's webhook posts through node:http with kept-alive connections: a tenth of the CPU of a `fetch` per
 * post. Redirects are not followed, the response body is drained unread, and a receiver that has not
 * answered within `timeoutMs` counts as failed.
 */
export function nodeWebhookTransport(timeoutMs = WEBHOOK_TIMEOUT_MS): WebhookTransport & { close(): void } {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST }),
  };
  return {
    post(url, headers, body) {
      return new Promise((settle) => {
        const secure = url.startsWith('https:');
        // The whole exchange is timed, not each socket read: a receiver that trickles bytes is cut off too.
        const timer = setTimeout(() => {
          request.destroy();
          resolve({ error: `no answer within ${String(timeoutMs)} ms` });
        }, timeoutMs);
        const resolve = (answer: { status: number } | { error: string }) => {
          clearTimeout(timer);
          settle(answer);
        };
        const send = secure ? httpsRequest : httpRequest;
        const request = send(
          url,
          {
            method: 'POST',
            agent: secure ? agents.https : agents.http,
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          },
          (response) => {
            response.resume();
            response.once('end', () => resolve({ status: response.statusCode ?? 0 }));
            response.once('error', () => resolve({ status: response.statusCode ?? 0 }));
          },
        );
        request.once('error', (error) => {
          const { error: name, code, detail } = errorSummary(error);
          resolve({ error: [name, code, detail].filter(Boolean).join(': ') });
        });
        request.end(body);
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
