import { serve, type ServerType } from '@hono/node-server';
import { Cron } from 'croner';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app';
import { readNodeSettings, regionDatabaseLocation } from '../config/node-env';
import { composeDeps } from '../deps';
import { jobs } from '../jobs/schedule';
import { createRegionStore } from '../store/region-store';
import { openLibsql, type LibsqlDatabase } from './libsql';
import { systemRuntime } from './system';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The all-in-one Node service: HTTP API, embedded libSQL per region, in-process scheduler. */
export async function startNodeServer(env: Record<string, string | undefined>): Promise<RunningServer> {
  const settings = readNodeSettings(env);
  const runtime = systemRuntime();
  mkdirSync(join(settings.DATA_DIR, 'regions'), { recursive: true });

  const opened: LibsqlDatabase[] = [];
  const deps = composeDeps(settings, runtime, async (region) => {
    const database = await openLibsql(regionDatabaseLocation(env, settings, region));
    opened.push(database);
    return createRegionStore(database.db);
  });

  if (settings.AUTH === 'off') {
    console.error(
      `WARNING: AUTH=off — every request acts as tenancy ${settings.LOCAL_TENANCY_ID} without a signature. ` +
        'Never expose this server.',
    );
  }

  const crons = jobs.map(
    (job) =>
      new Cron(job.cron, { protect: true, catch: true }, () => {
        void job.run(deps);
      }),
  );

  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: settings.HOST, port: settings.PORT }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const url = `http://${settings.HOST}:${port}`;
  console.log(`email delivery listening on ${url} — regions: ${deps.regions.enabled.join(', ')}`);

  return {
    url,
    async close() {
      for (const cron of crons) cron.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const { client } of opened) client.close();
    },
  };
}
