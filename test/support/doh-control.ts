import type { Zone } from '../node/spf/doh-server';

/** A DoH server started in Node on behalf of a test running inside workerd. */
export interface RemoteDohServer {
  url: string;
  close(): Promise<void>;
}

/** Starts DoH servers through the Node-side control server (`inject('dohControl')`). */
export function remoteDohServers(controlUrl: string) {
  return {
    async start(zone: Zone): Promise<RemoteDohServer> {
      const response = await fetch(`${controlUrl}/doh`, { method: 'POST', body: JSON.stringify({ zone }) });
      if (!response.ok) throw new Error(`the DoH control server answered ${response.status}`);
      const { id, url } = (await response.json()) as { id: string; url: string };
      return {
        url,
        close: async () => {
          await (await fetch(`${controlUrl}/doh/${id}`, { method: 'DELETE' })).body?.cancel();
        },
      };
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Node-side DoH control server, for tests running inside workerd. */
    dohControl: string;
  }
}
