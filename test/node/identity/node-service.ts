import * as common from 'oci-common';
import { EmailClient } from 'oci-email';
import { IdentityClient } from 'oci-identity';
import { rmSync } from 'node:fs';
import { startNodeServer, type NodeServerOptions, type RunningServer } from '../../../src/compose/node';
import { bootstrappedDataDir } from '../../support/bootstrapped-data-dir';
import type { KeyPair } from '../../../src/crypto/rsa-keys';
import { PHX } from '../../support/regions';

export { PHX };

// The SDK's default retries and circuit breaker would turn one failing case into slow, shared failures.
process.env.OCI_SDK_DEFAULT_RETRY_ENABLED = 'false';
process.env.OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED = 'false';

export interface Credentials {
  tenancyId: string;
  userId: string;
  fingerprint: string;
  keys: KeyPair;
}

export interface NodeService {
  server: RunningServer;
  dataDir: string;
  admin: Credentials;
  /** Every JSON log line the server wrote. */
  logs: string[];
  stop(): Promise<void>;
}

/** The real Node entry on 127.0.0.1, port 0, in a temporary DATA_DIR bootstrapped like `npm run admin`. */
export async function startService(
  env: Record<string, string> = {},
  options: NodeServerOptions = {},
): Promise<NodeService> {
  const { dataDir, admin } = await bootstrappedDataDir('email-identity-');
  const logs: string[] = [];
  const server = await startNodeServer(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      REGIONS: `${PHX},us-ashburn-1`,
      DOH_URL: 'http://127.0.0.1:1/dns-query',
      ...env,
    },
    { log: (line) => logs.push(line), ...options },
  );
  return {
    server,
    dataDir,
    admin,
    logs,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function providerFor(credentials: Credentials): common.SimpleAuthenticationDetailsProvider {
  return new common.SimpleAuthenticationDetailsProvider(
    credentials.tenancyId,
    credentials.userId,
    credentials.fingerprint,
    credentials.keys.privateKeyPem,
    null,
  );
}

export function emailClient(service: NodeService, credentials: Credentials = service.admin): EmailClient {
  const client = new EmailClient({ authenticationDetailsProvider: providerFor(credentials) });
  client.endpoint = `${service.server.url}/${PHX}`;
  return client;
}

export function identityClient(
  service: NodeService,
  credentials: Credentials = service.admin,
): IdentityClient {
  const client = new IdentityClient({ authenticationDetailsProvider: providerFor(credentials) });
  client.endpoint = service.server.url;
  return client;
}
