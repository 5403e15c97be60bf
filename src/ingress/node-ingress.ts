import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngressSettings } from '../config/ingress-env';
import { ConfigError } from '../config/settings';
import type { AppDeps } from '../app';
import { loadOrCreateLocalTls } from '../platform/local-ca';
import { startIngress, type IngressAddress, type RunningIngress } from './start-ingress';
import { inProcessSubmitter } from './in-process-submitter';
import type { IngressCertificate, TlsKeyPair } from './tls-policy';

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

/** A configured certificate and its key, read and checked to belong together, or a configuration error. */
function configuredPair(certFile: string, keyFile: string): TlsKeyPair {
  const fail = (problem: string) =>
    new ConfigError(`Invalid configuration:\n  SMTP_TLS_CERT_FILE, SMTP_TLS_KEY_FILE: ${problem}`);
  let pair: TlsKeyPair;
  try {
    pair = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (error) {
    throw fail(`cannot read ${certFile} or ${keyFile}: ${(error as Error).message}`);
  }
  let matches: boolean;
  try {
    matches = new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key));
  } catch {
    throw fail(`${certFile} and ${keyFile} must be a PEM certificate and its unencrypted PEM key`);
  }
  if (!matches) throw fail(`the key in ${keyFile} does not belong to the certificate in ${certFile}`);
  return pair;
}

/** The configured certificates, or the local CA's RSA and ECDSA ones under `dataDir/tls`. */
export async function certificateOf(
  settings: IngressSettings,
  dataDir: string,
): Promise<IngressCertificate & { caFile: string | undefined }> {
  const tls12Ciphers = settings.SMTP_TLS12_CIPHERS;
  const certFiles = settings.SMTP_TLS_CERT_FILE ?? [];
  const keyFiles = settings.SMTP_TLS_KEY_FILE ?? [];
  if (certFiles.length > 0) {
    const pairs = certFiles.map((certFile, index) => configuredPair(certFile, keyFiles[index] ?? ''));
    return { pairs, tls12Ciphers, caFile: undefined };
  }
  const dir = join(dataDir, 'tls');
  const local = await loadOrCreateLocalTls(dir);
  return { pairs: [local.rsa, local], tls12Ciphers, caFile: join(dir, 'ca-cert.pem') };
}

/** The Node entry's SMTP ingress: listeners per INGRESS_REGIONS, or for the home region. */
export async function startNodeIngress(
  settings: IngressSettings,
  deps: NodeIngressDeps,
  dataDir: string,
  homeRegion: string,
): Promise<NodeIngress> {
  const enabled = deps.regions.enabled;
  const regions = settings.INGRESS_REGIONS.length > 0 ? settings.INGRESS_REGIONS : [homeRegion];
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
      connections: {
        perAddress: settings.SMTP_MAX_CONNECTIONS_PER_ADDRESS,
        preAuthMs: settings.SMTP_PRE_AUTH_TIMEOUT_SECONDS * 1_000,
      },
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
