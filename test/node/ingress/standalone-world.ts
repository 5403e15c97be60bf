import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { expect } from 'vitest';
import { readStandaloneIngressSettings } from '../../../src/ingress/standalone-settings';
import type { RunningIngress } from '../../../src/ingress/start-ingress';
import { startStandaloneIngress } from '../../../src/compose/smtp-ingress';
import { jsonLogger, systemRuntime } from '../../../src/platform/system';
import { generateKeyPair, type KeyPair } from '../../../src/crypto/rsa-keys';
import type { Principal } from '../../../src/crypto/request-signature';
import { startDeliveryService, type NodeDeliveryService } from '../delivery/node-support';
import { approve, FROM, PHX, type SmtpLogin } from './ingress-world';

export { FROM, PHX };

export interface ServiceUser extends Principal {
  keys: KeyPair;
}

export interface StandaloneWorld {
  /** The real Node entry as the remote API, its capture mailbox as the relay. */
  api: NodeDeliveryService;
  /** The ingress's service user, in group SmtpIngress with `use smtp-ingress in tenancy`. */
  ingressUser: ServiceUser;
  /** A user with an SMTP credential who may `use approved-senders` in the tenancy. */
  sender: { userId: string; login: SmtpLogin };
  ingress: RunningIngress;
  ca: string;
  ingressLogs: string[];
  stop(): Promise<void>;
}

async function created<T>(api: NodeDeliveryService, path: string, body: unknown): Promise<T> {
  const response = await api.call('POST', path, body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** A user of the API's tenancy in `groups`, with a fresh API key. */
export async function serviceUser(
  api: NodeDeliveryService,
  name: string,
  groupIds: string[],
): Promise<ServiceUser> {
  const tenancyId = api.admin.tenancyId;
  const user = await created<{ id: string }>(api, '/20160918/users', {
    compartmentId: tenancyId,
    name,
    description: name,
  });
  const keys = await generateKeyPair();
  await created(api, `/20160918/users/${user.id}/apiKeys`, { key: keys.publicKeyPem });
  for (const groupId of groupIds) {
    await created(api, '/20160918/userGroupMemberships', { userId: user.id, groupId });
  }
  return { tenancyId, userId: user.id, fingerprint: keys.fingerprint, privateKey: keys.privateKey, keys };
}

export async function groupWithPolicy(
  api: NodeDeliveryService,
  name: string,
  statements: string[],
): Promise<string> {
  const compartmentId = api.admin.tenancyId;
  const group = await created<{ id: string }>(api, '/20160918/groups', {
    compartmentId,
    name,
    description: name,
  });
  await created(api, '/20160918/policies', { compartmentId, name, description: name, statements });
  return group.id;
}

/** The API with the README's ingress setup, and `npm run ingress`'s start pointed at it over loopback HTTP. */
export async function startStandaloneWorld(): Promise<StandaloneWorld> {
  const api = await startDeliveryService();
  await approve(api, FROM);
  const ingressGroup = await groupWithPolicy(api, 'SmtpIngress', [
    'Allow group SmtpIngress to use smtp-ingress in tenancy',
    'Allow group SmtpIngress to inspect suppressions in tenancy',
  ]);
  const sendersGroup = await groupWithPolicy(api, 'Senders', [
    'Allow group Senders to use approved-senders in tenancy',
  ]);
  const ingressUser = await serviceUser(api, 'smtp-ingress', [ingressGroup]);
  const sending = await serviceUser(api, 'app', [sendersGroup]);
  const login = await created<SmtpLogin>(api, `/20160918/users/${sending.userId}/smtpCredentials`, {
    description: 'standalone ingress tests',
  });

  const keyFile = join(api.dataDir, 'ingress_key.pem');
  writeFileSync(keyFile, ingressUser.keys.privateKeyPem, { mode: 0o600 });
  const ingressDir = join(api.dataDir, 'ingress');
  const settings = readStandaloneIngressSettings({
    INGRESS_API_URL: api.server.url,
    INGRESS_TENANCY_ID: ingressUser.tenancyId,
    INGRESS_USER_ID: ingressUser.userId,
    INGRESS_KEY_FINGERPRINT: ingressUser.fingerprint,
    INGRESS_PRIVATE_KEY_FILE: keyFile,
    INGRESS_REGIONS: PHX,
    SMTP_STARTTLS_PORT: '0',
    SMTP_TLS_PORT: '0',
    DATA_DIR: ingressDir,
  });
  const ingressLogs: string[] = [];
  const ingress = await startStandaloneIngress(
    settings,
    systemRuntime(jsonLogger((line) => ingressLogs.push(line))),
  );
  return {
    api,
    ingressUser,
    sender: { userId: sending.userId, login: { username: login.username, password: login.password } },
    ingress,
    ca: readFileSync(join(ingressDir, 'tls', 'ca-cert.pem'), 'utf8'),
    ingressLogs,
    async stop() {
      await ingress.close();
      await api.stop();
    },
  };
}

/** nodemailer over implicit TLS to the standalone ingress, trusting only its local CA. */
export function implicitTransport(world: StandaloneWorld, login: SmtpLogin = world.sender.login) {
  const address = world.ingress.addresses[0];
  if (!address) throw new Error('the ingress did not start');
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: address.tlsPort,
    secure: true,
    auth: { user: login.username, pass: login.password },
    tls: { ca: world.ca },
  });
}
