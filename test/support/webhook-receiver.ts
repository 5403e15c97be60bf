import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with one request: answer with a status, or never answer. */
export type ReceiverStep = { status: number } | 'stall';

export interface ReceivedWebhook {
  webhookId: string;
  /** Whether the Standard Webhooks library accepted the signature and timestamp. */
  verified: boolean;
  /** Whether the signature is the library's own for this id, timestamp and body, whatever the time now. */
  signed: boolean;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  answered: number | 'stalled';
}

export interface WebhookReceiver {
  url: string;
  /** Set once the subscription's secret is known; requests before that count as unverified. */
  secret: string | undefined;
  /** Steps taken in order for the next requests; then each request gets `otherwise`. */
  script: ReceiverStep[];
  otherwise: ReceiverStep;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A webhook endpoint on loopback that checks each delivery with the Standard Webhooks library. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const stalled: ServerResponse[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    secret: undefined,
    script: [],
    otherwise: { status: 200 },
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of stalled) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      let verified = false;
      let signed = false;
      if (receiver.secret) {
        const library = new Webhook(receiver.secret);
        try {
          library.verify(body, headers);
          verified = true;
        } catch {
          verified = false;
        }
        const at = new Date(Number(headers['webhook-timestamp']) * 1_000);
        signed = library.sign(headers['webhook-id'] ?? '', at, body) === headers['webhook-signature'];
      }
      const step = receiver.script.shift() ?? receiver.otherwise;
      receiver.received.push({
        webhookId: headers['webhook-id'] ?? '',
        verified,
        signed,
        payload: JSON.parse(body) as ReceivedWebhook['payload'],
        answered: step === 'stall' ? 'stalled' : step.status,
      });
      if (step === 'stall') {
        stalled.push(response);
        return;
      }
      response.writeHead(step.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
