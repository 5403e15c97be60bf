import { serve, type ServerType } from '@hono/node-server';
import { ConfigError } from '../config/settings';

/** Binds the HTTP API; a port in use is a configuration error naming the setting. */
export function listenHttp(
  fetch: Parameters<typeof serve>[0]['fetch'],
  host: string,
  port: number,
): Promise<ServerType> {
  return new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new ConfigError(
              `PORT=${String(port)}: cannot listen on ${host}:${String(port)} (${error.code}); stop what uses it or set PORT`,
            )
          : error,
      );
    });
  });
}
