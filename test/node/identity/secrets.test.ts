import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { authenticateSmtp } from '../../../src/domain/identity/smtp-credentials/authenticate';
import { openLibsql } from '../../../src/platform/libsql';
import { createIdentityStore } from '../../../src/store/identity/identity-store';
import { generateKeyPair, type KeyPair } from '../../../src/crypto/rsa-keys';
import { emailClient, identityClient, startService } from './node-service';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The base64 body of a PEM key; any 32-character run of it found anywhere counts as a leak. */
function keyFragments(keys: KeyPair): string[] {
  const body = keys.privateKeyPem.replace(/-----[^-]+-----|\s/g, '');
  return Array.from({ length: Math.floor(body.length / 32) }, (_, i) => body.slice(i * 32, i * 32 + 32));
}

it('keeps no SMTP password or private key in any database file or log line after a full run', async () => {
  const service = await startService();
  const identity = identityClient(service);
  const tenancy = service.admin.tenancyId;
  const passwords: string[] = [];
  const usernames: string[] = [];
  const userKeys: KeyPair[] = [service.admin.keys];

  for (const name of ['app-one', 'app-two']) {
    const { user } = await identity.createUser({
      createUserDetails: { compartmentId: tenancy, name, description: name },
    });
    const keys = await generateKeyPair();
    userKeys.push(keys);
    await identity.uploadApiKey({ userId: user.id, createApiKeyDetails: { key: keys.publicKeyPem } });
    for (const description of ['first', 'second']) {
      const { smtpCredential } = await identity.createSmtpCredential({
        userId: user.id,
        createSmtpCredentialDetails: { description },
      });
      passwords.push(smtpCredential.password!);
      usernames.push(smtpCredential.username!);
    }
    await identity.listSmtpCredentials({ userId: user.id });
    await expect(
      identity.createSmtpCredential({
        userId: user.id,
        createSmtpCredentialDetails: { description: 'third' },
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  }
  const email = emailClient(service);
  await email.createSender({
    createSenderDetails: { compartmentId: tenancy, emailAddress: 'run@example.com' },
  });
  await email.createSuppression({
    createSuppressionDetails: { compartmentId: tenancy, emailAddress: 'x@example.com' },
  });
  await email.listSenders({ compartmentId: tenancy });
  email.close();
  identity.close();
  await service.server.close();

  try {
    expect(passwords).toHaveLength(4);
    expect(new Set(passwords).size).toBe(4);
    const haystacks = [
      ...filesUnder(service.dataDir)
        .filter((path) => !path.endsWith('.pem'))
        .map((path) => ({ where: path, text: readFileSync(path).toString('latin1') })),
      { where: 'logs', text: service.logs.join('\n') },
    ];
    expect(haystacks.some((h) => h.where.endsWith('identity.db'))).toBe(true);
    expect(service.logs.some((line) => line.includes('smtp-credential.created'))).toBe(true);
    // The scan sees what is stored: the public halves of the same keys are there.
    const publicBody = service.admin.keys.publicKeyPem.replace(/-----[^-]+-----|\s/g, '');
    expect(haystacks.some(({ text }) => text.includes(publicBody.slice(0, 64)))).toBe(true);
    const secrets = [...passwords, ...userKeys.flatMap(keyFragments)];
    for (const { where, text } of haystacks) {
      for (const secret of secrets) expect(text.includes(secret), `${where} leaks a secret`).toBe(false);
    }

    // What is stored still works: each password opens its own SMTP login, and only that.
    const database = await openLibsql({ url: `file:${join(service.dataDir, 'identity.db')}` });
    const store = createIdentityStore(database.db);
    for (const [i, username] of usernames.entries()) {
      const caller = await authenticateSmtp(store, username, passwords[i]!);
      expect(caller?.tenancyId).toBe(tenancy);
      expect(await authenticateSmtp(store, username, passwords[(i + 1) % passwords.length]!)).toBeUndefined();
    }
    database.client.close();
  } finally {
    rmSync(service.dataDir, { recursive: true, force: true });
  }
});
