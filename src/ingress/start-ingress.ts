import { ConfigError } from '../config/settings';
import type { Clock, Logger } from '../domain/ports';
import { createFailedAuthLimiter } from './failed-auth-limiter';
import { startSmtpListener, type ConnectionLimits, type SmtpListener } from './smtp-listener';
import type { Submitter } from './submitter';
import type { IngressCertificate } from './tls-policy';

export interface IngressOptions {
  /** Regions with listeners of their own, in order; a TLS name may pick any of them. */
  regions: readonly string[];
  host: string;
  /** Ports of the first region; each further region takes the next one (0 picks free ports). */
  starttlsPort: number;
  tlsPort: number;
  baseDomain: string | undefined;
  certificate: IngressCertificate;
  maxMessageBytes: number;
  maxRecipients: number;
  connections: ConnectionLimits;
}

export interface IngressAddress {
  region: string;
  starttlsPort: number;
  tlsPort: number;
}

export interface RunningIngress {
  addresses: IngressAddress[];
  close(): Promise<void>;
}

const portFor = (base: number, index: number): number => (base === 0 ? 0 : base + index);

/** A STARTTLS and an implicit TLS listener per region, sharing one failed-login limiter. */
export async function startIngress(
  options: IngressOptions,
  deps: { submitter: Submitter; clock: Clock; logger: Logger },
): Promise<RunningIngress> {
  const listenerDeps = {
    submitter: deps.submitter,
    limiter: createFailedAuthLimiter(deps.clock),
    clock: deps.clock,
    logger: deps.logger,
  };
  const listeners: SmtpListener[] = [];
  const closeAll = () => Promise.all(listeners.map((listener) => listener.close())).then(() => undefined);
  const addresses: IngressAddress[] = [];
  try {
    for (const [index, region] of options.regions.entries()) {
      const common = {
        region,
        served: options.regions,
        baseDomain: options.baseDomain,
        host: options.host,
        certificate: options.certificate,
        maxMessageBytes: options.maxMessageBytes,
        maxRecipients: options.maxRecipients,
        connections: options.connections,
      };
      const listen = async (mode: 'starttls' | 'implicit', setting: string, port: number) => {
        try {
          return await startSmtpListener({ ...common, mode, port }, listenerDeps);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
          throw new ConfigError(
            `${setting}=${String(port)}: cannot listen on ${options.host}:${String(port)} for ${region} (${code}); stop what uses it or set ${setting}`,
          );
        }
      };
      const starttls = await listen('starttls', 'SMTP_STARTTLS_PORT', portFor(options.starttlsPort, index));
      listeners.push(starttls);
      const implicit = await listen('implicit', 'SMTP_TLS_PORT', portFor(options.tlsPort, index));
      listeners.push(implicit);
      addresses.push({ region, starttlsPort: starttls.port, tlsPort: implicit.port });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { addresses, close: closeAll };
}
