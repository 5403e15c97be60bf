import type { ServerType } from '@hono/node-server';
import { Cron } from 'croner';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../http/app';
import {
  homeRegion,
  identityDatabaseLocation,
  readNodeSettings,
  regionDatabaseLocation,
} from '../config/node-env';
import { ConfigError } from '../config/settings';
import { regionCatalog } from '../config/region-catalog';
import type { RegionDescriptor, RegionId } from '../values/region';
import { deliveryHooksOf, feedbackOf, regionsOf, serviceDepsOf, webhookDeliveryOf } from './app-deps';
import { maintenanceJobs } from '../jobs/schedule';
import { createIdentityStore } from '../store/identity/identity-store';
import type { Regions } from '../domain/regions';
import { createRegionStore } from '../store/region/region-store';
import { DELIVERY_LIMITS } from '../domain/delivery/run';
import { startDeliveryWorker } from '../jobs/delivery-worker';
import { listenHttp } from '../platform/http-listener';
import { NODE_COALESCING, openLibsql, type LibsqlDatabase } from '../platform/libsql';
import { openNodeRelays } from '../platform/node-relays';
import { jsonLogger, systemRuntime } from '../platform/system';
import { eventLoopBusy } from '../platform/event-loop';
import { localSecret } from '../platform/local-secret';
import { prometheusMetrics } from '../platform/prometheus';
import { nodeWebhookTransport } from '../platform/node-webhook-transport';
import { readIngressSettings, type IngressSettings } from '../ingress/ingress-settings';
import { inProcessSubmitter } from '../ingress/in-process-submitter';
import { startIngress, type IngressAddress, type RunningIngress } from '../ingress/start-ingress';
import { ensureDir, prepareDataDir, PRIVATE_DIR_MODE } from '../platform/data-dir';

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
  /** How long a webhook receiver may take to answer, and the webhook retry schedule (tests). */
  webhooks?: { timeoutMs?: number; retryIntervalsMs?: number[] };
  /** Starts the SMTP ingress (SMTP_* settings); `npm start` does, embedders and tests opt in. */
  smtpIngress?: boolean;
}

/**
 * The all-in-one Node service, composed in order: settings, data folder, identity and region databases,
 * relays, the in-process delivery worker and maintenance crons, the SMTP ingress, then the HTTP API.
 */
export async function startNodeServer(
  env: Record<string, string | undefined>,
  options: NodeServerOptions = {},
): Promise<RunningServer> {
  const configured = readNodeSettings(env);
  // The data folder first: the secrets generated below are kept in it.
  prepareDataDir(configured.DATA_DIR);
  const settings = {
    ...configured,
    UNSUBSCRIBE_SECRET:
      configured.UNSUBSCRIBE_SECRET ?? localSecret(configured.DATA_DIR, 'unsubscribe-secret'),
    SECRETS_KEY: configured.SECRETS_KEY ?? localSecret(configured.DATA_DIR, 'secrets-key'),
    METRICS_TOKEN: configured.METRICS_TOKEN ?? localSecret(configured.DATA_DIR, 'metrics-token'),
    PUBLIC_BASE_URL:
      configured.PUBLIC_BASE_URL ??
      (configured.PORT === 0 ? undefined : `http://${configured.HOST}:${configured.PORT}`),
  };
  const home = homeRegion(settings);
  const ingressSettings = options.smtpIngress ? readIngressSettings(env) : undefined;
  const metrics = prometheusMetrics();
  const runtime = { ...systemRuntime(jsonLogger(options.log, settings.LOG_LEVEL)), events: metrics.observer };
  ensureDir(join(settings.DATA_DIR, 'regions'), PRIVATE_DIR_MODE);

  const identityDatabase = await openLibsql(identityDatabaseLocation(env, settings));
  const opened: LibsqlDatabase[] = [identityDatabase];
  const identity = createIdentityStore(identityDatabase.db, NODE_COALESCING);
  const enabled = settings.REGIONS.flatMap((id) => regionCatalog.filter((region) => region.id === id));
  const relays = await openNodeRelays(env, settings.DATA_DIR, enabled, runtime, {
    ...(options.relayCa ? { relayCa: options.relayCa } : {}),
  });
  const openedRegions = new Set<string>();
  const regions = regionsOf(
    settings,
    async (region) => {
      const database = await openLibsql(regionDatabaseLocation(env, settings, region));
      opened.push(database);
      openedRegions.add(region.id);
      return createRegionStore(database, {
        coalescing: NODE_COALESCING,
        eventLog: settings.EVENT_LOG === 'on',
      });
    },
    (region) => relays.open(region),
  );
  // Polling opens only regions that hold data: a first start must not create every region's file.
  const hasData = (region: RegionDescriptor): boolean => {
    const { url } = regionDatabaseLocation(env, settings, region);
    return openedRegions.has(region.id) || !url.startsWith('file:') || existsSync(url.slice('file:'.length));
  };

  // Delivery runs in this process: each accepted submission wakes the worker, which also polls for retries.
  const feedback = feedbackOf(settings);
  const leaseMs = settings.DELIVERY_LEASE_SECONDS * 1_000;
  const webhookTransport = nodeWebhookTransport(options.webhooks?.timeoutMs);
  const webhooks = webhookDeliveryOf(settings, webhookTransport);
  const retryIntervalsMs = options.webhooks?.retryIntervalsMs;
  const worker = startDeliveryWorker(runtime, {
    feedback: feedback.delivery,
    hooks: deliveryHooksOf(settings, runtime),
    webhooks,
    loopBusy: eventLoopBusy(),
    // Webhook deliveries are leased like recipient rows: a crashed process's claims come back as soon.
    webhookLimits: { leaseMs, ...(retryIntervalsMs ? { retryIntervalsMs } : {}) },
    pollRegions: () => Promise.all(enabled.filter(hasData).map((region) => regions.open(region.id))),
    // An attempt starts only with half the lease left, so a short lease still outlasts the attempt.
    limits: { leaseMs, attemptBudgetMs: Math.min(DELIVERY_LIMITS.attemptBudgetMs, leaseMs / 2) },
    ...(options.deliveryPollMs ? { pollMs: options.deliveryPollMs } : {}),
  });
  const deps = serviceDepsOf({
    settings,
    runtime,
    regions,
    identity,
    feedback,
    deliveryTrigger: worker.trigger,
    mailbox: relays.mailbox,
    webhooks,
  });
  const metricsEndpoint = {
    token: settings.METRICS_TOKEN,
    contentType: metrics.contentType,
    render: metrics.render,
  };

  if (!(await identity.firstTenancy())) {
    console.error('No tenancy yet: run `npm run admin -- bootstrap --public-key <pem file>` to create one.');
  }

  const crons = maintenanceJobs.map(
    (job) =>
      new Cron(job.cron, { protect: true, catch: true }, () => {
        void job.run(deps);
      }),
  );

  const closeComposed = async () => {
    for (const cron of crons) cron.stop();
    await worker.stop();
    webhookTransport.close();
    await relays.close();
    for (const { client } of opened) client.close();
  };
  // Every listener is bound before the service says it is up: a port in use stops the start at once.
  let ingress: RunningIngress | undefined;
  let server: ServerType;
  try {
    ingress =
      ingressSettings?.SMTP_INGRESS === 'on'
        ? await startIngress(ingressSettings, {
            submitter: inProcessSubmitter({
              runtime,
              regions,
              identity,
              limits: deps.submissionLimits,
              trigger: worker.trigger,
            }),
            regions: ingressRegions(ingressSettings, regions, home),
            dataDir: settings.DATA_DIR,
            api: settings,
            runtime,
          })
        : undefined;
    const smtpListeners = new Map(
      (ingress?.addresses ?? []).map((a) => [
        a.region,
        { host: publicHost(ingressSettings?.SMTP_HOST), port: a.starttlsPort },
      ]),
    );
    server = await listenHttp(
      createApp({ ...deps, smtpListeners, metrics: metricsEndpoint }).fetch,
      settings.HOST,
      settings.PORT,
    );
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

/** The regions with SMTP listeners here: INGRESS_REGIONS, which must be enabled, or the home region. */
function ingressRegions(settings: IngressSettings, regions: Regions, home: RegionId): RegionId[] {
  const chosen = settings.INGRESS_REGIONS.length > 0 ? settings.INGRESS_REGIONS : [home];
  const disabled = chosen.filter((region) => !regions.enabled.includes(region));
  if (disabled.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  INGRESS_REGIONS: ${disabled.join(', ')} not enabled in REGIONS`,
    );
  }
  return chosen;
}

/** A listener bound to every address is reached on whichever host the client used for the API. */
const publicHost = (host: string | undefined): string | undefined =>
  host === undefined || host === '0.0.0.0' || host === '::' ? undefined : host;
