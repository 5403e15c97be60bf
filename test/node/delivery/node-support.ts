import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer, type NodeServerOptions, type RunningServer } from '../../../src/compose/node';
import { bootstrapNodeAdmin, signedFetch } from '../../support/node-admin';
import { signRequest, type Principal } from '../../../src/crypto/request-signature';

export const NODE_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaadeliverynode';
export const NO_RESOLVER = 'http://127.0.0.1:1/dns-query';
export const FROM = 'app@example.com';

export interface NodeDeliveryService {
  server: RunningServer;
  dataDir: string;
  admin: Principal;
  logs: string[];
  call(method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/** The real Node entry in a fresh DATA_DIR with a bootstrapped administrator and an approved sender. */
export async function startDeliveryService(
  env: Record<string, string> = {},
  options: NodeServerOptions = {},
): Promise<NodeDeliveryService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'email-delivery-'));
  const admin = await bootstrapNodeAdmin(dataDir, NODE_TENANCY);
  const logs: string[] = [];
  const server = await startNodeServer(
    { PORT: '0', DATA_DIR: dataDir, REGIONS: 'us-phoenix-1', DOH_URL: NO_RESOLVER, ...env },
    { log: (line) => logs.push(line), deliveryPollMs: 100, ...options },
  );
  const call = (method: string, path: string, body?: unknown) =>
    signedFetch(admin, method, `${server.url}${path}`, body);
  return {
    server,
    dataDir,
    admin,
    logs,
    call,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** POST /<region>/20220926/actions/submitRawEmail, signed as `admin`, the way the OCI SDK sends it. */
export async function submitRaw(
  baseUrl: string,
  admin: Principal,
  raw: string,
  recipients: readonly string[],
  extraHeaders: Record<string, string> = {},
  region = 'us-phoenix-1',
): Promise<Response> {
  const url = `${baseUrl}/${region}/20220926/actions/submitRawEmail`;
  const signed = await signRequest(
    admin,
    'POST',
    url,
    raw,
    {
      'content-type': 'message/rfc822',
      'compartment-id': admin.tenancyId,
      sender: FROM,
      recipients: recipients.join(','),
      ...extraHeaders,
    },
    { now: new Date() },
  );
  return fetch(signed.url, signed);
}

export function rawFrom(subject: string, to: string): string {
  return [
    `From: App <${FROM}>`,
    `To: <${to}>`,
    `Subject: ${subject}`,
    'Date: Fri, 02 Jan 2026 03:04:05 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello from ${subject}.`,
    '',
  ].join('\r\n');
}
