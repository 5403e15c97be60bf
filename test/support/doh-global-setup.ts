import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startDohServer, type DohServer, type Zone } from '../node/spf/doh-server';

const MAX_CONTROL_BODY_BYTES = 1_000_000; // a test zone is a few kilobytes

async function readZone(request: IncomingMessage): Promise<Zone> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_CONTROL_BODY_BYTES) throw new Error('zone too large');
    chunks.push(chunk as Buffer);
  }
  return (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { zone: Zone }).zone;
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Runs in Node before the workerd project: POST /doh starts a DoH server for a zone, DELETE /doh/:id stops it. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = new Map<string, DohServer>();
  let serial = 0;
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const [, resource, id] = (request.url ?? '').split('/');
    if (resource !== 'doh') return reply(response, 404);
    if (request.method === 'POST' && !id) {
      const server = await startDohServer(await readZone(request));
      serial += 1;
      servers.set(String(serial), server);
      return reply(response, 200, { id: String(serial), url: server.url });
    }
    const server = servers.get(id ?? '');
    if (request.method !== 'DELETE' || !server) return reply(response, 404);
    servers.delete(id ?? '');
    await server.close();
    reply(response, 204);
  };
  const control = createServer((request, response) => {
    route(request, response).catch((error: unknown) => reply(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const address = control.address();
  project.provide(
    'dohControl',
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
  return async () => {
    for (const server of servers.values()) await server.close();
    await new Promise<void>((resolve) => control.close(() => resolve()));
  };
}
