import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngressSettings } from '../config/ingress-env';
import { ConfigError } from '../config/settings';
import type { AppDeps } from '../app';
import { loadOrCreateLocalTls } from '../platform/local-ca';
import { startIngress, type IngressAddress, type RunningIngress } from './start-ingress';
import { inProcessSubmitter } from './in-process-submitter';
import type { IngressCertificate } from './tls-policy';

/** What the ingress takes from the app's world in `npm start`: it submits in-process. */
export type NodeIngressDeps = Pick<
  AppDeps,
  'runtime' | 'regions' | 'identity' | 'submissionLimits' | 'deliveryTrigger' | 'baseDomain'
>;

export interface NodeIngress extends RunningIngress {
  /** The local CA clients must trust, when the certificate came from it. */
  caFile: string | undefined;
  /** Lines for the console: where each region listens and which CA to trust. */
  describe(): string[];
}

/** The configured certificate, or one from the local CA under `dataDir/tls`. */
export async function certificateOf(
  settings: IngressSettings,
  dataDir: string,
): Promise<IngressCertificate & { caFile: string | undefined }> {
  if (settings.SMTP_TLS_CERT_FILE && settings.SMTP_TLS_KEY_FILE) {
    return {
      cert: readFileSync(settings.SMTP_TLS_CERT_FILE, 'utf8'),
      key: readFileSync(settings.SMTP_TLS_KEY_FILE, 'utf8'),
      caFile: undefined,
    };
  }
  const dir = join(dataDir, 'tls');
  const local = await loadOrCreateLocalTls(dir);
  return { cert: local.cert, key: local.key, caFile: join(dir, 'ca-cert.pem') };
}

/** The Node entry's SMTP ingress: listeners per INGRESS_REGIONS (or the first enabled region). */
export async function startNodeIngress(
  settings: IngressSettings,
  deps: NodeIngressDeps,
  dataDir: string,
): Promise<NodeIngress> {
  const enabled = deps.regions.enabled;
  const regions = settings.INGRESS_REGIONS.length > 0 ? settings.INGRESS_REGIONS : enabled.slice(0, 1);
  const disabled = regions.filter((region) => !enabled.includes(region));
  if (disabled.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  INGRESS_REGIONS: ${disabled.join(', ')} not enabled in REGIONS`,
    );
  }
  const { caFile, ...certificate } = await certificateOf(settings, dataDir);
  const submitter = inProcessSubmitter({
    runtime: deps.runtime,
    regions: deps.regions,
    identity: deps.identity,
    limits: deps.submissionLimits,
    trigger: deps.deliveryTrigger,
  });
  const running = await startIngress(
    {
      regions,
      host: settings.SMTP_HOST,
      starttlsPort: settings.SMTP_STARTTLS_PORT,
      tlsPort: settings.SMTP_TLS_PORT,
      baseDomain: deps.baseDomain,
      certificate,
      maxMessageBytes: deps.submissionLimits.maxMessageBytes,
      maxRecipients: deps.submissionLimits.maxRecipients,
    },
    { submitter, clock: deps.runtime.clock, logger: deps.runtime.logger },
  );
  const host = settings.SMTP_HOST;
  return {
    ...running,
    caFile,
    describe: () => describeIngress(running.addresses, host, caFile),
  };
}

/** The start lines of an ingress: each region's listeners, then `more`, then the CA clients must trust. */
export function describeIngress(
  addresses: readonly IngressAddress[],
  host: string,
  caFile: string | undefined,
  more: readonly string[] = [],
): string[] {
  return [
    ...addresses.map(
      (a) =>
        `SMTP submission for ${a.region}: STARTTLS on ${host}:${a.starttlsPort}, implicit TLS on ${host}:${a.tlsPort}`,
    ),
    ...more,
    ...(caFile ? [`SMTP TLS certificate from the local CA: clients must trust ${caFile}`] : []),
  ];
}
