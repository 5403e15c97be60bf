import { join } from 'node:path';
import type { IngressSettings } from './ingress-settings';
import { ConfigError, type Settings } from '../config/settings';
import type { Runtime } from '../domain/ports';
import { createFailedAuthLimiter } from '../domain/identity/failed-logins';
import { messageBudget, submitGate } from './message-budget';
import { messageSpool } from './message-spool';
import { startSmtpListener, type SmtpListener } from './smtp-listener';
import type { Submitter } from './submitter';
import { certificateOf } from './certificate';

/** What the settings leave open: where mail goes, which regions listen, the certificate and the limits. */
export interface IngressParts {
  submitter: Submitter;
  /** Regions with listeners of their own, in order; a TLS name may pick any of them. */
  regions: readonly string[];
  /** Where the local CA keeps its certificates when none is configured. */
  dataDir: string;
  /** The API's settings the listeners follow too: TLS names under the base domain, message size, recipients. */
  api: Pick<Settings, 'BASE_DOMAIN' | 'SUBMIT_MAX_MESSAGE_BYTES' | 'SUBMIT_MAX_RECIPIENTS'>;
  runtime: Pick<Runtime, 'clock' | 'logger'>;
}

export interface IngressAddress {
  region: string;
  starttlsPort: number;
  tlsPort: number;
}

export interface RunningIngress {
  addresses: IngressAddress[];
  /** The local CA clients must trust, when the certificate came from it. */
  caFile: string | undefined;
  /** Lines for the console: where each region listens and which CA to trust. */
  describe(more?: readonly string[]): string[];
  close(): Promise<void>;
}

// A few large messages at once keep both cores busy; more only multiply their copies in memory.
const MAX_SUBMITTING_BYTES = 4 * 1024 * 1024;

const portFor = (base: number, index: number): number => (base === 0 ? 0 : base + index);

/**
 * The SMTP ingress of both Node entries: a STARTTLS and an implicit TLS listener per region, sharing one
 * failed-login limiter, handing each message to `parts.submitter`.
 */
export async function startIngress(settings: IngressSettings, parts: IngressParts): Promise<RunningIngress> {
  const listenerDeps = {
    submitter: parts.submitter,
    limiter: createFailedAuthLimiter(parts.runtime.clock),
    budget: messageBudget(settings.SMTP_MAX_BYTES_IN_FLIGHT),
    gate: submitGate(MAX_SUBMITTING_BYTES),
    spool: messageSpool(join(parts.dataDir, 'spool'), settings.SMTP_MAX_BYTES_IN_MEMORY),
    clock: parts.runtime.clock,
    logger: parts.runtime.logger,
  };
  const host = settings.SMTP_HOST;
  const { caFile, ...certificate } = await certificateOf(settings, parts.dataDir);
  const listeners: SmtpListener[] = [];
  const closeAll = () => Promise.all(listeners.map((listener) => listener.close())).then(() => undefined);
  const addresses: IngressAddress[] = [];
  try {
    for (const [index, region] of parts.regions.entries()) {
      const common = {
        region,
        served: parts.regions,
        baseDomain: parts.api.BASE_DOMAIN,
        host,
        certificate,
        maxMessageBytes: parts.api.SUBMIT_MAX_MESSAGE_BYTES,
        maxRecipients: parts.api.SUBMIT_MAX_RECIPIENTS,
        connections: {
          perAddress: settings.SMTP_MAX_CONNECTIONS_PER_ADDRESS,
          preAuthMs: settings.SMTP_PRE_AUTH_TIMEOUT_SECONDS * 1_000,
        },
      };
      const listen = async (mode: 'starttls' | 'implicit', setting: string, port: number) => {
        try {
          return await startSmtpListener({ ...common, mode, port }, listenerDeps);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
          throw new ConfigError(
            `${setting}=${String(port)}: cannot listen on ${host}:${String(port)} for ${region} (${code}); stop what uses it or set ${setting}`,
          );
        }
      };
      const starttls = await listen(
        'starttls',
        'SMTP_STARTTLS_PORT',
        portFor(settings.SMTP_STARTTLS_PORT, index),
      );
      listeners.push(starttls);
      const implicit = await listen('implicit', 'SMTP_TLS_PORT', portFor(settings.SMTP_TLS_PORT, index));
      listeners.push(implicit);
      addresses.push({ region, starttlsPort: starttls.port, tlsPort: implicit.port });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    addresses,
    caFile,
    describe: (more = []) => [
      ...addresses.map(
        (a) =>
          `SMTP submission for ${a.region}: STARTTLS on ${host}:${a.starttlsPort}, implicit TLS on ${host}:${a.tlsPort}`,
      ),
      ...more,
      ...(caFile ? [`SMTP TLS certificate from the local CA: clients must trust ${caFile}`] : []),
    ],
    close: closeAll,
  };
}
