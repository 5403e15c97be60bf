import { createClient } from '@libsql/client';
import * as common from 'oci-common';
import { EmailClient } from 'oci-email';
import { EmailDPClient, requests } from 'oci-emaildataplane';
import { IdentityClient } from 'oci-identity';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { providerFor, startService, type Credentials, type NodeService } from '../identity/node-service';
import { IAD, PHX } from '../../support/regions';

export { IAD, PHX };

/** One attempt only: a refused submit must not be retried for 95 seconds. */
export const once = {
  retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
};

/** The real Node entry (port 0, temporary DATA_DIR, DoH pointed at nothing) for submission tests. */
export const startSubmissionService = (env: Record<string, string> = {}): Promise<NodeService> =>
  startService(env);

export function dataClient(
  service: NodeService,
  region = PHX,
  credentials: Credentials = service.admin,
): EmailDPClient {
  const client = new EmailDPClient({ authenticationDetailsProvider: providerFor(credentials) });
  client.endpoint = `${service.server.url}/${region}`;
  return client;
}

export function controlClient(service: NodeService, region = PHX): EmailClient {
  const client = new EmailClient({ authenticationDetailsProvider: providerFor(service.admin) });
  client.endpoint = `${service.server.url}/${region}`;
  return client;
}

export function identityOf(service: NodeService): IdentityClient {
  const client = new IdentityClient({ authenticationDetailsProvider: providerFor(service.admin) });
  client.endpoint = service.server.url;
  return client;
}

export async function approveSender(
  service: NodeService,
  emailAddress: string,
  region = PHX,
  compartmentId = service.admin.tenancyId,
): Promise<void> {
  const client = controlClient(service, region);
  await client.createSender({ createSenderDetails: { compartmentId, emailAddress } });
  client.close();
}

export async function suppress(service: NodeService, emailAddress: string, region = PHX) {
  const client = controlClient(service, region);
  const { suppression } = await client.createSuppression({
    createSuppressionDetails: { compartmentId: service.admin.tenancyId, emailAddress },
  });
  client.close();
  return suppression;
}

/** A user in a group of its own, allowed what `statements` say; signs with a fresh key. */
export async function userWith(
  service: NodeService,
  name: string,
  statements: string[],
): Promise<Credentials> {
  const identity = identityOf(service);
  const tenancy = service.admin.tenancyId;
  const { user } = await identity.createUser({
    createUserDetails: { compartmentId: tenancy, name, description: name },
  });
  const { group } = await identity.createGroup({
    createGroupDetails: { compartmentId: tenancy, name: `${name}-group`, description: name },
  });
  await identity.addUserToGroup({ addUserToGroupDetails: { userId: user.id, groupId: group.id } });
  await identity.createPolicy({
    createPolicyDetails: {
      compartmentId: tenancy,
      name: `${name}-policy`,
      description: name,
      statements: statements.map((s) => s.replace('$GROUP', `${name}-group`)),
    },
  });
  const keys = await generateKeyPair();
  await identity.uploadApiKey({ userId: user.id, createApiKeyDetails: { key: keys.publicKeyPem } });
  identity.close();
  return { tenancyId: tenancy, userId: user.id, fingerprint: keys.fingerprint, keys };
}

export interface DeliveryRow {
  id: string;
  submission_id: string;
  message_id: string;
  sender: string;
  recipient: string;
  state: string;
  attempts: number;
  next_attempt_at: number | null;
  give_up_at: number;
  last_detail: string | null;
  time_created: number;
  time_final: number | null;
}

export interface MailTables {
  submissions: Record<string, unknown>[];
  parts: { submission_id: string; seq: number; data: string }[];
  deliveries: DeliveryRow[];
  quota: { tenancy_id: string; window: string; window_start: number; used: number }[];
  suppressions: { email_address: string; time_created: number; time_last_suppressed: number }[];
}

/** Every row of the mail tables in a region's database file, read beside the running server. */
export async function mailTables(service: NodeService, region = PHX): Promise<MailTables> {
  const file = join(service.dataDir, 'regions', `${region}.db`);
  if (!existsSync(file)) return { submissions: [], parts: [], deliveries: [], quota: [], suppressions: [] };
  const client = createClient({ url: `file:${file}` });
  try {
    const rows = async <T>(query: string) => (await client.execute(query)).rows as unknown as T[];
    return {
      submissions: await rows('SELECT * FROM submissions ORDER BY rowid'),
      parts: await rows('SELECT * FROM submission_parts ORDER BY submission_id, seq'),
      deliveries: await rows('SELECT * FROM deliveries ORDER BY rowid'),
      quota: await rows('SELECT * FROM quota_usage'),
      suppressions: await rows('SELECT email_address, time_created, time_last_suppressed FROM suppressions'),
    };
  } finally {
    client.close();
  }
}

export const rowCounts = (tables: MailTables) => ({
  submissions: tables.submissions.length,
  parts: tables.parts.length,
  deliveries: tables.deliveries.length,
  quota: tables.quota.length,
});

/** The stored message of a submission, its parts joined. */
export function storedMessage(tables: MailTables, submissionId: string): string {
  return tables.parts
    .filter((p) => p.submission_id === submissionId)
    .map((p) => p.data)
    .join('');
}

/** Expects the promise to fail with this OCI status and code. */
export async function expectRefused(
  promise: Promise<unknown>,
  statusCode: number,
  serviceCode: string,
): Promise<void> {
  await expect(promise).rejects.toMatchObject({ statusCode, serviceCode });
}

export const rawRequest = (
  service: NodeService,
  raw: string,
  recipients: string[],
  sender = 'noreply@example.com',
): requests.SubmitRawEmailRequest => ({
  contentType: requests.SubmitRawEmailRequest.ContentType.MessageRfc822,
  compartmentId: service.admin.tenancyId,
  sender,
  recipients,
  rawMessage: raw,
  contentLength: Buffer.byteLength(raw),
  ...once,
});
