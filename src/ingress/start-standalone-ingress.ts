import { readFileSync } from 'node:fs';
import type { StandaloneIngressSettings } from '../config/standalone-ingress-env';
import { ConfigError } from '../config/settings';
import type { Runtime } from '../domain/ports';
import { apiClient } from './api-client';
import { importApiPrivateKey, type SigningKey } from './api-signer';
import { certificateOf, describeIngress, type NodeIngress } from './node-ingress';
import { remoteSubmitter } from './remote-submitter';
import { startIngress } from './start-ingress';

async function privateKeyOf(file: string): Promise<SigningKey> {
  try {
    return await importApiPrivateKey(readFileSync(file, 'utf8'));
  } catch {
    // The file's contents stay out of the message: it is a secret.
    throw new ConfigError(
      `Invalid configuration:\n  INGRESS_PRIVATE_KEY_FILE: ${file} is not a readable, unencrypted PEM private key`,
    );
  }
}

/** `npm run ingress`: the same SMTP listeners as `npm start`, forwarding each message to a remote API. */
export async function startStandaloneIngress(
  settings: StandaloneIngressSettings,
  runtime: Runtime,
): Promise<NodeIngress> {
  const key = {
    tenancyId: settings.INGRESS_TENANCY_ID,
    userId: settings.INGRESS_USER_ID,
    fingerprint: settings.INGRESS_KEY_FINGERPRINT,
    privateKey: await privateKeyOf(settings.INGRESS_PRIVATE_KEY_FILE),
  };
  const submitter = remoteSubmitter({
    api: apiClient(settings.INGRESS_API_URL, key, runtime.clock),
    tenancyId: settings.INGRESS_TENANCY_ID,
    logger: runtime.logger,
  });
  const { caFile, ...certificate } = await certificateOf(settings.smtp, settings.DATA_DIR);
  const running = await startIngress(
    {
      regions: settings.regions,
      host: settings.smtp.SMTP_HOST,
      starttlsPort: settings.smtp.SMTP_STARTTLS_PORT,
      tlsPort: settings.smtp.SMTP_TLS_PORT,
      baseDomain: settings.BASE_DOMAIN,
      certificate,
      maxMessageBytes: settings.SUBMIT_MAX_MESSAGE_BYTES,
      maxRecipients: settings.SUBMIT_MAX_RECIPIENTS,
      connections: {
        perAddress: settings.smtp.SMTP_MAX_CONNECTIONS_PER_ADDRESS,
        preAuthMs: settings.smtp.SMTP_PRE_AUTH_TIMEOUT_SECONDS * 1_000,
      },
    },
    { submitter, clock: runtime.clock, logger: runtime.logger },
  );
  const host = settings.smtp.SMTP_HOST;
  return {
    ...running,
    caFile,
    describe: () =>
      describeIngress(running.addresses, host, caFile, [
        `forwarding to ${settings.INGRESS_API_URL} as ${settings.INGRESS_USER_ID}`,
      ]),
  };
}
