/**
 * Your first mail, as the administrator bootstrap made and then as an application user:
 * group → user → API key → policy → SMTP credential → approved sender → send over HTTPS →
 * a suppression that is honoured. Run it once against a fresh `npm start`:
 *
 *   npx tsx examples/first-mail.ts
 *
 * Settings (all optional): OCI_CONFIG_FILE (~/.oci/config, the entry bootstrap printed),
 * EMAIL_API (http://127.0.0.1:8080), EXAMPLE_DIR (./first-mail, where the app user's key and config go).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as common from 'oci-common';
import { EmailClient } from 'oci-email';
import { EmailDPClient } from 'oci-emaildataplane';
import { IdentityClient } from 'oci-identity';

const api = process.env.EMAIL_API ?? 'http://127.0.0.1:8080';
const region = 'us-phoenix-1';
const outDir = resolve(process.env.EXAMPLE_DIR ?? 'first-mail');
const sender = 'noreply@example.com';

// 1. The administrator, from the config entry bootstrap printed.
const admin = new common.ConfigFileAuthenticationDetailsProvider(process.env.OCI_CONFIG_FILE);
const tenancyId = admin.getTenantId();
const identity = new IdentityClient({ authenticationDetailsProvider: admin });
identity.endpoint = api; // identity is global
const email = new EmailClient({ authenticationDetailsProvider: admin });
email.endpoint = `${api}/${region}`; // the control plane of one region

// 2. A compartment for the application's senders, a group, and a user in it.
const { compartment } = await identity.createCompartment({
  createCompartmentDetails: { compartmentId: tenancyId, name: 'mail', description: 'Application mail' },
});
const { group } = await identity.createGroup({
  createGroupDetails: {
    compartmentId: tenancyId,
    name: 'mail-senders',
    description: 'Applications that send mail',
  },
});
const { user } = await identity.createUser({
  createUserDetails: { compartmentId: tenancyId, name: 'shop-app', description: 'The shop application' },
});
await identity.addUserToGroup({ addUserToGroupDetails: { userId: user.id, groupId: group.id } });

// 3. An API key for the user: the private key stays here, the public key is uploaded.
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
mkdirSync(outDir, { recursive: true, mode: 0o700 });
const keyFile = join(outDir, 'shop-app_api_key.pem');
writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
const { apiKey } = await identity.uploadApiKey({
  userId: user.id,
  createApiKeyDetails: { key: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
});
const appConfig = join(outDir, 'shop-app.oci-config');
writeFileSync(
  appConfig,
  [
    '[DEFAULT]',
    `user=${user.id}`,
    `fingerprint=${apiKey.fingerprint}`,
    `tenancy=${tenancyId}`,
    `region=${region}`,
    `key_file=${keyFile}`,
    '',
  ].join('\n'),
  { mode: 0o600 },
);

// 4. A policy: the group may send as the approved senders of the compartment.
await identity.createPolicy({
  createPolicyDetails: {
    compartmentId: tenancyId,
    name: 'mail-senders-send',
    description: 'Let applications send mail',
    statements: ['Allow group mail-senders to use approved-senders in compartment mail'],
  },
});

// 5. An SMTP credential for the user: the password is shown this once.
const { smtpCredential } = await identity.createSmtpCredential({
  userId: user.id,
  createSmtpCredentialDetails: { description: 'shop-app over SMTP' },
});

// 6. The approved sender, in the application's compartment of this region.
await email.createSender({ createSenderDetails: { compartmentId: compartment.id, emailAddress: sender } });

// 7. Send over HTTPS as the application user.
const app = new common.ConfigFileAuthenticationDetailsProvider(appConfig);
const dataPlane = new EmailDPClient({ authenticationDetailsProvider: app });
dataPlane.endpoint = `${api}/${region}`;
const sent = await dataPlane.submitEmail({
  submitEmailDetails: {
    sender: { compartmentId: compartment.id, senderAddress: { email: sender, name: 'Shop' } },
    recipients: { to: [{ email: 'alice@example.net' }] },
    subject: 'Your receipt',
    bodyText: 'Thanks for your order.',
  },
});

// 8. A suppression: mail to that address is no longer delivered, and the answer says so.
await email.createSuppression({
  createSuppressionDetails: { compartmentId: tenancyId, emailAddress: 'bob@example.net' },
});
const suppressed = await dataPlane.submitEmail({
  submitEmailDetails: {
    sender: { compartmentId: compartment.id, senderAddress: { email: sender } },
    recipients: { to: [{ email: 'bob@example.net' }] },
    subject: 'Not for Bob',
    bodyText: 'Bob is on the suppression list.',
  },
});

const result = {
  compartmentId: compartment.id,
  userId: user.id,
  appConfig,
  smtpUsername: smtpCredential.username,
  smtpPassword: smtpCredential.password,
  httpsMessageId: sent.emailSubmittedResponse.messageId,
  suppressedRecipients: suppressed.emailSubmittedResponse.suppressedRecipients.map((r) => r.email),
};
writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
console.log(JSON.stringify(result, null, 2));
