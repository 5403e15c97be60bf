import { readFileSync } from 'node:fs';
import type { StandaloneIngressSettings } from '../ingress/standalone-settings';
import { ConfigError } from '../config/settings';
import type { Runtime } from '../domain/ports';
import { apiClient } from '../ingress/api-client';
import { importPrivateKey, type WebCryptoKey } from '../crypto/rsa-keys';
import { remoteSubmitter } from '../ingress/remote-submitter';
import { startIngress, type RunningIngress } from '../ingress/start-ingress';

async function privateKeyOf(file: string): Promise<WebCryptoKey> {
  try {
    return await importPrivateKey(readFileSync(file, 'utf8'));
  } catch {
    // The file's contents stay out of the message: it is a secret.
    throw new ConfigError(
      `Invalid configuration:\n  INGRESS_PRIVATE_KEY_FILE: ${file} is not a readable, unencrypted PEM private key`,
    );
  }
}

/**
 * `npm run ingress`: the same SMTP listeners as `npm start`, forwarding each message to a remote API signed
 * with the service user's key.
 */
export async function startStandaloneIngress(
  settings: StandaloneIngressSettings,
  runtime: Runtime,
): Promise<RunningIngress> {
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
  const running = await startIngress(settings.smtp, {
    submitter,
    regions: settings.regions,
    dataDir: settings.DATA_DIR,
    api: settings,
    runtime,
  });
  const forwarding = `forwarding to ${settings.INGRESS_API_URL} as ${settings.INGRESS_USER_ID}`;
  return { ...running, describe: () => running.describe([forwarding]) };
}
