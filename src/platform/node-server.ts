import { serve, type ServerType } from '@hono/node-server';
import { Cron } from 'croner';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app';
import { identityDatabaseLocation, readNodeSettings, regionDatabaseLocation } from '../config/node-env';
import { composeDeps } from '../deps';
import { jobs } from '../jobs/schedule';
import { createIdentityStore } from '../store/identity-store';
import { createRegionStore } from '../store/region-store';
import { openLibsql, type LibsqlDatabase } from './libsql';
import { jsonLogger, systemRuntime } from './system';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface NodeServerOptions {
  /** Where JSON log lines go; stdout by default. */
  log?: (line: string) => void;
}

/** The all-in-one Node service: HTTP API, embedded libSQL per region and for identity, in-process scheduler. */
export async function startNodeServer(
  env: Record<string, string | undefined>,
  options: NodeServerOptions = {},
): Promise<RunningServer> {
  const settings = readNodeSettings(env);
  const runtime = systemRuntime(jsonLogger(options.log));
  mkdirSync(join(settings.DATA_DIR, 'regions'), { recursive: true });

  const identityDatabase = await openLibsql(identityDatabaseLocation(env, settings));
  const opened: LibsqlDatabase[] = [identityDatabase];
  const identity = createIdentityStore(identityDatabase.db);
  const deps = composeDeps(
    settings,
    runtime,
    async (region) => {
      const database = await openLibsql(regionDatabaseLocation(env, settings, region));
      opened.push(database);
      return createRegionStore(database.db);
    },
    identity,
  );

  if (!(await identity.firstTenancy())) {
    console.error('No tenancy yet: run `npm run admin -- bootstrap --public-key <pem file>` to create one.');
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
