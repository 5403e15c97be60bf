import { serve, type ServerType } from '@hono/node-server';
import { Cron } from 'croner';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app';
import {
  homeRegion,
  identityDatabaseLocation,
  readNodeSettings,
  regionDatabaseLocation,
} from '../config/node-env';
import { ConfigError } from '../config/settings';
import { regionCatalog, type RegionDescriptor } from '../config/region-catalog';
import { composeDeps } from '../deps';
import { DELIVER_DUE_JOB, jobs } from '../jobs/schedule';
import { createIdentityStore } from '../store/identity-store';
import type { DeliveryTrigger } from '../domain/ports';
import { createRegionStore } from '../store/region-store';
import { DELIVERY_LIMITS } from '../domain/delivery/deliver-due';
import { startDeliveryWorker } from './delivery-worker';
import { NODE_COALESCING, openLibsql, type LibsqlDatabase } from './libsql';
import { openNodeRelays } from './node-relays';
import { jsonLogger, systemRuntime } from './system';
import { localUnsubscribeSecret } from './local-secret';
import { readIngressSettings } from '../config/ingress-env';
import type { IngressAddress } from '../ingress/start-ingress';
import { startNodeIngress } from '../ingress/node-ingress';
import { ensureDir, prepareDataDir, PRIVATE_DIR_MODE } from './data-dir';

export interface RunningServer {
  url: string;
  /** The SMTP ingress listeners per region; empty when the ingress is off. */
  smtp: IngressAddress[];
  close(): Promise<void>;
}

export interface NodeServerOptions {
  /** Where JSON log lines go; stdout by default. */
  log?: (line: string) => void;
  /** PEM certificates a configured relay is verified against instead of Node's store (tests). */
  relayCa?: string;
  /** How often the delivery worker looks for retries and expired leases. */
  deliveryPollMs?: number;
  /** Starts the SMTP ingress (SMTP_* settings); `npm start` does, embedders and tests opt in. */
  smtpIngress?: boolean;
}

/** The all-in-one Node service: HTTP API, embedded libSQL per region and for identity, in-process scheduler. */
export async function startNodeServer(
  env: Record<string, string | undefined>,
  options: NodeServerOptions = {},
): Promise<RunningServer> {
  const configured = readNodeSettings(env);
  const settings = {
    ...configured,
    UNSUBSCRIBE_SECRET: configured.UNSUBSCRIBE_SECRET ?? localUnsubscribeSecret(configured.DATA_DIR),
    PUBLIC_BASE_URL:
      configured.PUBLIC_BASE_URL ??
      (configured.PORT === 0 ? undefined : `http://${configured.HOST}:${configured.PORT}`),
  };
  const home = homeRegion(settings);
  const ingressSettings = options.smtpIngress ? readIngressSettings(env) : undefined;
  const runtime = systemRuntime(jsonLogger(options.log, settings.LOG_LEVEL));
  prepareDataDir(settings.DATA_DIR);
  ensureDir(join(settings.DATA_DIR, 'regions'), PRIVATE_DIR_MODE);

  const identityDatabase = await openLibsql(identityDatabaseLocation(env, settings));
  const opened: LibsqlDatabase[] = [identityDatabase];
  const identity = createIdentityStore(identityDatabase.db, NODE_COALESCING);
  const enabled = settings.REGIONS.flatMap((id) => regionCatalog.filter((region) => region.id === id));
  const relays = await openNodeRelays(env, settings.DATA_DIR, enabled, runtime, {
    ...(options.relayCa ? { relayCa: options.relayCa } : {}),
  });
  const openedRegions = new Set<string>();
  // Polling opens only regions that hold data: a first start must not create every region's file.
  const hasData = (region: RegionDescriptor): boolean => {
    const { url } = regionDatabaseLocation(env, settings, region);
    return openedRegions.has(region.id) || !url.startsWith('file:') || existsSync(url.slice('file:'.length));
  };
  // The worker needs the regions and the regions' trigger needs the worker: the trigger forwards.
  let wake: DeliveryTrigger['accepted'] = () => undefined;
  const deps = composeDeps(
    settings,
    runtime,
    async (region) => {
      const database = await openLibsql(regionDatabaseLocation(env, settings, region));
      opened.push(database);
      openedRegions.add(region.id);
      return createRegionStore(database.db, NODE_COALESCING);
    },
    identity,
    {
      openRelay: (region) => relays.open(region),
      deliveryTrigger: { accepted: (region) => wake(region) },
      mailbox: relays.mailbox,
    },
  );
  const leaseMs = settings.DELIVERY_LEASE_SECONDS * 1_000;
  const worker = startDeliveryWorker(runtime, {
    feedback: deps.feedback.delivery,
    pollRegions: () => Promise.all(enabled.filter(hasData).map((region) => deps.regions.open(region.id))),
    // An attempt starts only with half the lease left, so a short lease still outlasts the attempt.
    limits: { leaseMs, attemptBudgetMs: Math.min(DELIVERY_LIMITS.attemptBudgetMs, leaseMs / 2) },
    ...(options.deliveryPollMs ? { pollMs: options.deliveryPollMs } : {}),
  });
  wake = (region) => worker.trigger.accepted(region);

  if (!(await identity.firstTenancy())) {
    console.error('No tenancy yet: run `npm run admin -- bootstrap --public-key <pem file>` to create one.');
  }

  // Delivery has its own in-process worker here, which polls only regions that hold data.
  const crons = jobs
    .filter((job) => job.name !== DELIVER_DUE_JOB)
    .map(
      (job) =>
        new Cron(job.cron, { protect: true, catch: true }, () => {
          void job.run(deps);
        }),
    );

  const closeComposed = async () => {
    for (const cron of crons) cron.stop();
    await worker.stop();
    await relays.close();
    for (const { client } of opened) client.close();
  };
  // Every listener is bound before the service says it is up: a port in use stops the start at once.
  let ingress: Awaited<ReturnType<typeof startNodeIngress>> | undefined;
  let server: ServerType;
  try {
    ingress =
      ingressSettings?.SMTP_INGRESS === 'on'
        ? await startNodeIngress(ingressSettings, deps, settings.DATA_DIR, home)
        : undefined;
    const smtpListeners = new Map(
      (ingress?.addresses ?? []).map((a) => [
        a.region,
        { host: publicHost(ingressSettings?.SMTP_HOST), port: a.starttlsPort },
      ]),
    );
    server = await listenHttp(createApp({ ...deps, smtpListeners }), settings.HOST, settings.PORT);
  } catch (error) {
    await ingress?.close();
    await closeComposed();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const url = `http://${settings.HOST}:${port}`;
  console.log(`email delivery listening on ${url}`);
  console.log(`regions: ${deps.regions.enabled.join(', ')} (home region: ${home})`);
  for (const line of relays.describe()) runtime.logger.debug('relay.configured', line);
  for (const line of ingress?.describe() ?? []) console.log(line);
  if (relays.mailbox) {
    console.log(
      `no relay configured: mail goes to the capture mailbox in ${join(settings.DATA_DIR, 'mailbox')} (read it with \`npm run admin -- mailbox\`)`,
    );
  }

  return {
    url,
    smtp: ingress?.addresses ?? [],
    async close() {
      await ingress?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeComposed();
    },
  };
}

/** Binds the HTTP API; a port in use is a configuration error naming the setting. */
function listenHttp(app: ReturnType<typeof createApp>, host: string, port: number): Promise<ServerType> {
  return new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server));
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

/** A listener bound to every address is reached on whichever host the client used for the API. */
const publicHost = (host: string | undefined): string | undefined =>
  host === undefined || host === '0.0.0.0' || host === '::' ? undefined : host;
