import type { Sink, SinkFactory, SinkOptions, SinkRecord } from './smtp-sink-protocol';
import type { ReceivedWebhook } from './webhook-receiver';
import type { DkimVerdict } from './dkim-verifier';

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`sink control ${init?.method ?? 'GET'} ${url}: ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Sinks started in Node by the control server, for tests that run inside workerd. */
export function remoteSinks(controlUrl: string): SinkFactory {
  return {
    async start(options: SinkOptions): Promise<Sink> {
      const { id, port } = await call<{ id: string; port: number }>(`${controlUrl}/sinks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options),
      });
      return {
        host: '127.0.0.1',
        port,
        record: () => call<SinkRecord>(`${controlUrl}/sinks/${id}/record`),
        close: () => call<undefined>(`${controlUrl}/sinks/${id}`, { method: 'DELETE' }),
      };
    },
    async closedPort() {
      return (await call<{ port: number }>(`${controlUrl}/closed-port`)).port;
    },
  };
}

export interface RemoteReceiver {
  url: string;
  trust(secret: string): Promise<void>;
  received(): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A webhook receiver started in Node by the control server, for tests that run inside workerd. */
export async function remoteReceiver(controlUrl: string): Promise<RemoteReceiver> {
  const { id, url } = await call<{ id: string; url: string }>(`${controlUrl}/receivers`, { method: 'POST' });
  return {
    url,
    trust: (secret) =>
      call<undefined>(`${controlUrl}/receivers/${id}/secret`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret }),
      }),
    received: () => call<ReceivedWebhook[]>(`${controlUrl}/receivers/${id}/record`),
    close: () => call<undefined>(`${controlUrl}/receivers/${id}`, { method: 'DELETE' }),
  };
}

/** A message's DKIM signature verified in Node by mailauth, against the TXT records given by name. */
export function remoteDkimVerify(
  controlUrl: string,
  raw: string,
  txt: Record<string, string[]>,
): Promise<DkimVerdict> {
  return call<DkimVerdict>(`${controlUrl}/dkim-verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ raw, txt }),
  });
}
