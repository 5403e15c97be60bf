import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closedPort, startSink } from './smtp-sink';
import type { Sink, SinkOptions } from './smtp-sink-protocol';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { verifiedDkim } from './dkim-verifier';

export interface SinkControlServer {
  url: string;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

/**
 * Lets tests running inside workerd, which cannot listen, start and inspect SMTP sinks and webhook
 * receivers in Node: POST /sinks, GET /sinks/:id/record, DELETE /sinks/:id, GET /closed-port, POST /receivers,
 * PUT /receivers/:id/secret, GET /receivers/:id/record, DELETE /receivers/:id, and POST /dkim-verify (a message's
 * DKIM signature checked by mailauth against the TXT records given).
 */
export async function startSinkControlServer(): Promise<SinkControlServer> {
  const sinks = new Map<string, Sink>();
  const receivers = new Map<string, WebhookReceiver>();
  let serial = 0;

  const receiverRoute = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string | undefined,
    action: string | undefined,
  ): Promise<void> => {
    if (request.method === 'POST' && !id) {
      const receiver = await startWebhookReceiver();
      serial += 1;
      receivers.set(String(serial), receiver);
      return reply(response, 200, { id: String(serial), url: receiver.url });
    }
    const receiver = id ? receivers.get(id) : undefined;
    if (!receiver) return reply(response, 404, { error: 'no such receiver' });
    if (request.method === 'PUT' && action === 'secret') {
      receiver.secret = ((await readJson(request)) as { secret: string }).secret;
      return reply(response, 204);
    }
    if (request.method === 'GET' && action === 'record') return reply(response, 200, receiver.received);
    if (request.method === 'DELETE' && !action) {
      receivers.delete(id ?? '');
      await receiver.close();
      return reply(response, 204);
    }
    reply(response, 405, { error: 'unsupported' });
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const [, resource, id, action] = (request.url ?? '').split('/');
    if (resource === 'receivers') return receiverRoute(request, response, id, action);
    if (request.method === 'POST' && resource === 'dkim-verify') {
      const { raw, txt } = (await readJson(request)) as { raw: string; txt: Record<string, string[]> };
      return reply(response, 200, await verifiedDkim(raw, (name) => txt[name]));
    }
    if (request.method === 'POST' && resource === 'sinks' && !id) {
      const sink = await startSink((await readJson(request)) as SinkOptions);
      serial += 1;
      sinks.set(String(serial), sink);
      return reply(response, 200, { id: String(serial), port: sink.port });
    }
    if (request.method === 'GET' && resource === 'closed-port') {
      return reply(response, 200, { port: await closedPort() });
    }
    const sink = id ? sinks.get(id) : undefined;
    if (!sink) return reply(response, 404, { error: 'no such sink' });
    if (request.method === 'GET' && action === 'record') return reply(response, 200, await sink.record());
    if (request.method === 'DELETE' && !action) {
      sinks.delete(id ?? '');
      await sink.close();
      return reply(response, 204);
    }
    reply(response, 405, { error: 'unsupported' });
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => reply(response, 500, { error: String(error) }));
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await Promise.all([...sinks.values(), ...receivers.values()].map((running) => running.close()));
      sinks.clear();
      receivers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
