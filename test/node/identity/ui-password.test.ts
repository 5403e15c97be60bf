import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBootstrap } from '../../../src/cli/bootstrap-command';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { ADMIN_USER_NAME, bootstrapTenancy } from '../../../src/domain/identity/bootstrap';
import { issueUiPassword, verifyUiPassword } from '../../../src/domain/identity/ui-password';
import { openLibsql } from '../../../src/platform/libsql';
import { systemRuntime } from '../../../src/platform/system';
import { createIdentityStore } from '../../../src/store/identity/identity-store';
import { capturingLogger } from '../../support/fixed-runtime';
import { runTsx } from '../../support/tsx-process';
import { userWith } from '../submission/submission-service';
import { identityClient, startService, type NodeService } from './node-service';

let service: NodeService;
let identityDb: Awaited<ReturnType<typeof openLibsql>>;
beforeAll(async () => {
  service = await startService();
  identityDb = await openLibsql({ url: `file:${join(service.dataDir, 'identity.db')}` });
});
afterAll(async () => {
  identityDb.client.close();
  await service.stop();
});

/** The identity database as the server keeps it, read beside the running server. */
const store = () => createIdentityStore(identityDb.db);

async function plainUser(name: string): Promise<string> {
  const client = identityClient(service);
  const { user } = await client.createUser({
    createUserDetails: { compartmentId: service.admin.tenancyId, name, description: name },
  });
  client.close();
  return user.id;
}

async function resetAsAdmin(userId: string) {
  const client = identityClient(service);
  try {
    return await client.createOrResetUIPassword({ userId });
  } finally {
    client.close();
  }
}

async function storedRow(userId: string) {
  const result = await identityDb.client.execute({
    sql: 'SELECT * FROM iam_ui_passwords WHERE user_id = ?',
    args: [userId],
  });
  return result.rows[0];
}

describe('createOrResetUIPassword and console sign-in', () => {
  it('lets the administrator set another user’s password, which then signs in', async () => {
    const userId = await plainUser('ui-alice');
    const { uIPassword, etag } = await resetAsAdmin(userId);
    expect(uIPassword).toMatchObject({ userId, lifecycleState: 'ACTIVE' });
    expect(etag).toBeTruthy();
    expect(new Date(uIPassword.timeCreated!).getTime()).not.toBeNaN();
    const password = uIPassword.password!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[^A-Za-z0-9]/);

    const tenancy = service.admin.tenancyId;
    expect(await verifyUiPassword(store(), tenancy, 'ui-alice', password)).toEqual({
      tenancyId: tenancy,
      userId,
    });
    expect(await verifyUiPassword(store(), tenancy, 'UI-Alice', password)).toEqual({
      tenancyId: tenancy,
      userId,
    });
    expect(await verifyUiPassword(store(), tenancy, 'ui-alice', `${password}x`)).toBeUndefined();
    expect(await verifyUiPassword(store(), tenancy, 'ui-nobody', password)).toBeUndefined();
    expect(await verifyUiPassword(store(), tenancy, 'ui-alice', 'x'.repeat(10_000))).toBeUndefined();

    const logged = service.logs.filter((line) => line.includes('ui-password.reset'));
    expect(logged.some((line) => line.includes(userId))).toBe(true);
    expect(service.logs.some((line) => line.includes(password))).toBe(false);
  });

  it('answers the SDK’s wire shape: timeCreated with milliseconds, no body needed', async () => {
    const userId = await plainUser('ui-wire');
    const { uIPassword } = await resetAsAdmin(userId);
    // The SDK keeps timeCreated as the string it received.
    expect(String(uIPassword.timeCreated)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Object.keys(uIPassword).sort()).toEqual(['lifecycleState', 'password', 'timeCreated', 'userId']);
  });

  it('refuses a user of another tenancy, whatever the password', async () => {
    const userId = await plainUser('ui-bob');
    const bobPassword = (await resetAsAdmin(userId)).uIPassword.password!;
    const other = 'ocid1.tenancy.oc1..aaaaaaaaotheruipasswords';
    const keys = await generateKeyPair();
    const rt = systemRuntime(capturingLogger());
    const otherAdmin = await bootstrapTenancy(rt, store(), {
      publicKeyPem: keys.publicKeyPem,
      tenancyId: other,
    });
    const otherPassword = (await issueUiPassword(rt, store().forTenancy(other), otherAdmin.userId)).password;

    expect(await verifyUiPassword(store(), other, 'ui-bob', bobPassword)).toBeUndefined();
    expect(
      await verifyUiPassword(store(), service.admin.tenancyId, ADMIN_USER_NAME, otherPassword),
    ).toBeUndefined();
    expect(await verifyUiPassword(store(), other, ADMIN_USER_NAME, otherPassword)).toEqual({
      tenancyId: other,
      userId: otherAdmin.userId,
    });
    expect(
      await verifyUiPassword(store(), 'ocid1.tenancy.oc1..nosuch', 'ui-bob', bobPassword),
    ).toBeUndefined();
  });

  it('replaces the password on a second reset: the first no longer signs in', async () => {
    const userId = await plainUser('ui-carol');
    const first = (await resetAsAdmin(userId)).uIPassword.password!;
    const second = (await resetAsAdmin(userId)).uIPassword.password!;
    expect(second).not.toBe(first);
    const tenancy = service.admin.tenancyId;
    expect(await verifyUiPassword(store(), tenancy, 'ui-carol', first)).toBeUndefined();
    expect(await verifyUiPassword(store(), tenancy, 'ui-carol', second)).toMatchObject({ userId });
    const rows = await identityDb.client.execute({
      sql: 'SELECT count(*) AS n FROM iam_ui_passwords WHERE user_id = ?',
      args: [userId],
    });
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });

  it('lets a user without manage users reset their own password only', async () => {
    const reader = await userWith(service, 'ui-reader', ['Allow group $GROUP to read users in tenancy']);
    const other = await plainUser('ui-dave');
    const client = identityClient(service, reader);
    try {
      const own = await client.createOrResetUIPassword({ userId: reader.userId });
      expect(
        await verifyUiPassword(store(), reader.tenancyId, 'ui-reader', own.uIPassword.password!),
      ).toMatchObject({ userId: reader.userId });
      await expect(client.createOrResetUIPassword({ userId: other })).rejects.toMatchObject({
        statusCode: 404,
        serviceCode: 'NotAuthorizedOrNotFound',
      });
      await expect(client.createOrResetUIPassword({ userId: service.admin.userId })).rejects.toMatchObject({
        statusCode: 404,
      });
    } finally {
      client.close();
    }
    expect(await storedRow(other)).toBeUndefined();
  });

  it('keeps only a salted hash, never the password', async () => {
    const userId = await plainUser('ui-erin');
    const password = (await resetAsAdmin(userId)).uIPassword.password!;
    const row = await storedRow(userId);
    expect(row?.tenancy_id).toBe(service.admin.tenancyId);
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$\d+\$[^$]+\$[A-Za-z0-9+/]+=*$/);
    // Reading the database file from this process would drop SQLite's locks on it, so only the row is checked.
    expect(JSON.stringify(row)).not.toContain(password);
  });

  it('removes the password with the user', async () => {
    const userId = await plainUser('ui-frank');
    const password = (await resetAsAdmin(userId)).uIPassword.password!;
    expect(await storedRow(userId)).toBeDefined();
    const client = identityClient(service);
    await client.deleteUser({ userId });
    client.close();
    expect(await storedRow(userId)).toBeUndefined();
    expect(await verifyUiPassword(store(), service.admin.tenancyId, 'ui-frank', password)).toBeUndefined();
  });

  it('`npm run admin -- console-password` prints a new administrator password that signs in', async () => {
    const run = await runTsx(['src/cli/admin.ts', 'console-password'], { DATA_DIR: service.dataDir });
    expect(run.code, run.err).toBe(0);
    const printed = JSON.parse(run.out) as Record<string, string>;
    expect(printed).toMatchObject({
      tenancyId: service.admin.tenancyId,
      userName: ADMIN_USER_NAME,
      userId: service.admin.userId,
    });
    expect(run.err).not.toContain(printed.password);
    expect(
      await verifyUiPassword(store(), service.admin.tenancyId, ADMIN_USER_NAME, printed.password!),
    ).toEqual({
      tenancyId: service.admin.tenancyId,
      userId: service.admin.userId,
    });

    const again = await runTsx(['src/cli/admin.ts', 'console-password'], { DATA_DIR: service.dataDir });
    expect(again.code, again.err).toBe(0);
    const next = (JSON.parse(again.out) as Record<string, string>).password!;
    expect(
      await verifyUiPassword(store(), service.admin.tenancyId, ADMIN_USER_NAME, printed.password!),
    ).toBeUndefined();
    expect(await verifyUiPassword(store(), service.admin.tenancyId, ADMIN_USER_NAME, next)).toBeDefined();
  });
});

describe('bootstrap', () => {
  it('prints a console password for the administrator the first time only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'email-ui-bootstrap-'));
    try {
      const keys = await generateKeyPair();
      const keyFile = join(dataDir, 'admin_public.pem');
      writeFileSync(keyFile, keys.publicKeyPem);
      const bootstrap = async () => {
        let out = '';
        let err = '';
        const code = await runBootstrap(
          ['--public-key', keyFile],
          { DATA_DIR: dataDir },
          { out: (text) => (out += text), err: (text) => (err += text) },
        );
        expect(code).toBe(0);
        return { result: JSON.parse(out) as { tenancyId: string; userId: string }, err };
      };

      const first = await bootstrap();
      const password = /^# {3}password (\S+)$/m.exec(first.err)?.[1];
      expect(first.err).toContain(`#   tenancy  ${first.result.tenancyId}`);
      expect(first.err).toContain(`#   user     ${ADMIN_USER_NAME}`);
      const second = await bootstrap();
      expect(second.err).not.toContain('# Console sign-in');

      const database = await openLibsql({ url: `file:${join(dataDir, 'identity.db')}` });
      try {
        expect(
          await verifyUiPassword(
            createIdentityStore(database.db),
            first.result.tenancyId,
            ADMIN_USER_NAME,
            password!,
          ),
        ).toEqual({ tenancyId: first.result.tenancyId, userId: first.result.userId });
      } finally {
        database.client.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
