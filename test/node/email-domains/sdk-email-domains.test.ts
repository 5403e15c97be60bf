import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import * as common from 'oci-common';
import { models, requests, type EmailClient } from 'oci-email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailClient, startService, type NodeService } from '../identity/node-service';
import { userWith } from '../submission/submission-service';
import { startDohServer, type DohServer } from '../spf/doh-server';
import { PHX } from '../../support/regions';

const DOMAIN = 'mail.example.com';

let doh: DohServer;
let service: NodeService;
let client: EmailClient;

beforeAll(async () => {
  doh = await startDohServer({});
  doh.ttlSeconds = 0;
  service = await startService({ DOH_URL: doh.url, DNS_DELEGATION_ZONE: 'delegated.example.net' });
  client = emailClient(service);
});
afterAll(async () => {
  client.close();
  await service.stop();
  await doh.close();
});

/** The error a call answers, made on a client of its own: the SDK's circuit breaker counts refusals per client. */
async function refusal(
  call: (c: EmailClient) => Promise<unknown>,
): Promise<{ statusCode: number; serviceCode: string }> {
  const own = emailClient(service);
  const error = (await call(own).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as { statusCode: number; serviceCode: string } | undefined;
  own.close();
  if (!error) throw new Error('the call succeeded');
  return error;
}

/** Waiters polling every second for at most 20 s (the SDK's default waits minutes between polls). */
const fastWaiter = {
  terminationStrategy: new common.MaxTimeTerminationStrategy(20),
  delayStrategy: new common.FixedTimeDelayStrategy(1),
};

async function createDomain(name: string, retryToken?: string) {
  return client.createEmailDomain({
    createEmailDomainDetails: { name, compartmentId: service.admin.tenancyId, description: `for ${name}` },
    ...(retryToken ? { opcRetryToken: retryToken } : {}),
  });
}

/** An RSA key as a user would import it, with the DKIM record it needs, published in the test DNS. */
function importedKey(selector: string, type: 'pkcs1' | 'pkcs8') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type, format: 'pem' },
  });
  const txt = `v=DKIM1; k=rsa; p=${publicKey.toString('base64')}`;
  doh.zone[`${selector}._domainkey.dkim.example.com`] = { TXT: [txt] };
  return { pem: privateKey, txt };
}

/** Every text column of every table of the region's database, to look for what must never be stored. */
async function storedText(): Promise<string> {
  const db = createClient({ url: `file:${join(service.dataDir, 'regions', `${PHX}.db`)}` });
  const tables = await db.execute("select name from sqlite_master where type = 'table'");
  const parts: string[] = [];
  for (const table of tables.rows) {
    parts.push(JSON.stringify((await db.execute(`select * from "${table.name as string}"`)).rows));
  }
  db.close();
  return parts.join('\n');
}

describe('email domains through the oci-email SDK', () => {
  it('creates idempotently with opc-retry-token, answers a work request, gets, lists, sorts and filters', async () => {
    const first = await createDomain(DOMAIN, 'token-one');
    expect(first.emailDomain).toMatchObject({
      name: DOMAIN,
      compartmentId: service.admin.tenancyId,
      lifecycleState: 'ACTIVE',
      isSpf: false,
      description: `for ${DOMAIN}`,
      locks: [],
    });
    expect(first.emailDomain.id).toMatch(/^ocid1\.emaildomain\.oc1\.us-phoenix-1\./);
    expect(first.opcWorkRequestId).toMatch(/^ocid1\.emailworkrequest\./);
    expect(first.etag).toBeTruthy();

    const again = await createDomain(DOMAIN, 'token-one');
    expect(again.emailDomain.id).toBe(first.emailDomain.id);
    expect(again.opcWorkRequestId).toBe(first.opcWorkRequestId);
    expect(
      await refusal((c) =>
        c.createEmailDomain({
          createEmailDomainDetails: { name: 'other.example.com', compartmentId: service.admin.tenancyId },
          opcRetryToken: 'token-one',
        }),
      ),
    ).toMatchObject({ statusCode: 409 });
    expect(await refusal(() => createDomain(DOMAIN))).toMatchObject({
      statusCode: 409,
      serviceCode: 'Conflict',
    });
    expect(await refusal(() => createDomain('not a domain'))).toMatchObject({ statusCode: 400 });

    const done = await client
      .createWaiters(fastWaiter)
      .forWorkRequest({ workRequestId: first.opcWorkRequestId });
    expect(done.workRequest).toMatchObject({
      operationType: 'CREATE_EMAIL_DOMAIN',
      status: 'SUCCEEDED',
      percentComplete: 100,
      compartmentId: service.admin.tenancyId,
      resources: [{ entityType: 'emailDomain', actionType: 'CREATED', identifier: first.emailDomain.id }],
    });
    const logs = await client.listWorkRequestLogs({ workRequestId: first.opcWorkRequestId });
    expect(logs.workRequestLogEntryCollection.items[0]?.message).toContain(DOMAIN);
    const errors = await client.listWorkRequestErrors({ workRequestId: first.opcWorkRequestId });
    expect(errors.workRequestErrorCollection.items).toEqual([]);
    const works = await client.listWorkRequests({
      compartmentId: service.admin.tenancyId,
      operationType: models.OperationType.CreateEmailDomain,
    });
    expect(works.workRequestSummaryCollection.items.map((w) => w.id)).toEqual([first.opcWorkRequestId]);

    await createDomain('a.example.org');
    await createDomain('z.example.org');
    const byName = await client.listEmailDomains({
      compartmentId: service.admin.tenancyId,
      sortBy: requests.ListEmailDomainsRequest.SortBy.Name,
      sortOrder: models.SortOrder.Asc,
    });
    expect(byName.emailDomainCollection.items.map((d) => d.name)).toEqual([
      'a.example.org',
      DOMAIN,
      'z.example.org',
    ]);
    const paged = await client.listEmailDomains({
      compartmentId: service.admin.tenancyId,
      sortBy: requests.ListEmailDomainsRequest.SortBy.Name,
      limit: 2,
    });
    expect(paged.emailDomainCollection.items).toHaveLength(2);
    const rest = await client.listEmailDomains({
      compartmentId: service.admin.tenancyId,
      sortBy: requests.ListEmailDomainsRequest.SortBy.Name,
      limit: 2,
      page: paged.opcNextPage,
    });
    expect(rest.emailDomainCollection.items.map((d) => d.name)).toEqual(['z.example.org']);
    const named = await client.listEmailDomains({
      compartmentId: service.admin.tenancyId,
      name: DOMAIN,
      lifecycleState: 'active',
    });
    expect(named.emailDomainCollection.items.map((d) => d.id)).toEqual([first.emailDomain.id]);

    const got = await client.getEmailDomain({ emailDomainId: first.emailDomain.id });
    expect(got.emailDomain).toMatchObject({ name: DOMAIN, domainVerificationStatus: 'NONE' });
    const ready = await client
      .createWaiters(fastWaiter)
      .forEmailDomain({ emailDomainId: first.emailDomain.id }, models.EmailDomain.LifecycleState.Active);
    expect(ready?.emailDomain.id).toBe(first.emailDomain.id);
  });

  it('updates, locks, moves and deletes with work requests, honouring if-match and locks', async () => {
    const { emailDomain } = await createDomain('lock.example.com');
    const updated = await client.updateEmailDomain({
      emailDomainId: emailDomain.id,
      updateEmailDomainDetails: { description: 'changed', freeformTags: { team: 'mail' } },
    });
    expect(updated.opcWorkRequestId).toBeTruthy();
    const current = await client.getEmailDomain({ emailDomainId: emailDomain.id });
    expect(current.emailDomain).toMatchObject({ description: 'changed', freeformTags: { team: 'mail' } });
    expect(
      await refusal((c) =>
        c.updateEmailDomain({
          emailDomainId: emailDomain.id,
          updateEmailDomainDetails: { description: 'stale' },
          ifMatch: 'not-the-etag',
        }),
      ),
    ).toMatchObject({ statusCode: 412 });

    const locked = await client.addEmailDomainLock({
      emailDomainId: emailDomain.id,
      addLockDetails: { type: models.AddLockDetails.Type.Delete, message: 'in use' },
    });
    expect(locked.emailDomain.locks).toMatchObject([{ type: 'DELETE', message: 'in use' }]);
    expect(await refusal((c) => c.deleteEmailDomain({ emailDomainId: emailDomain.id }))).toMatchObject({
      statusCode: 409,
    });
    await client.removeEmailDomainLock({
      emailDomainId: emailDomain.id,
      removeLockDetails: { type: models.RemoveLockDetails.Type.Delete },
    });

    const identity = (await import('../identity/node-service')).identityClient(service);
    const { compartment } = await identity.createCompartment({
      createCompartmentDetails: { compartmentId: service.admin.tenancyId, name: 'domains', description: 'd' },
    });
    identity.close();
    const moved = await client.changeEmailDomainCompartment({
      emailDomainId: emailDomain.id,
      changeEmailDomainCompartmentDetails: { compartmentId: compartment.id },
    });
    const move = await client.getWorkRequest({ workRequestId: moved.opcWorkRequestId });
    expect(move.workRequest.operationType).toBe('MOVE_EMAIL_DOMAIN');
    expect((await client.getEmailDomain({ emailDomainId: emailDomain.id })).emailDomain.compartmentId).toBe(
      compartment.id,
    );

    const deleted = await client.deleteEmailDomain({ emailDomainId: emailDomain.id });
    expect(deleted.opcWorkRequestId).toBeTruthy();
    const gone = await client
      .createWaiters(fastWaiter)
      .forEmailDomain({ emailDomainId: emailDomain.id }, models.EmailDomain.LifecycleState.Deleted);
    expect(gone?.emailDomain.lifecycleState).toBe('DELETED');
    const listed = await client.listEmailDomains({ compartmentId: compartment.id });
    expect(listed.emailDomainCollection.items).toEqual([]);
    expect(
      await refusal((c) =>
        c.updateEmailDomain({
          emailDomainId: emailDomain.id,
          updateEmailDomainDetails: { description: 'x' },
        }),
      ),
    ).toMatchObject({ statusCode: 404 });
  });

  it('creates DKIM keys that turn ACTIVE once published, rotate, and never show their private key', async () => {
    const { emailDomain } = await createDomain('dkim.example.com');
    const missing = await client.createDkim({ createDkimDetails: { emailDomainId: emailDomain.id } });
    const dkim = missing.dkim;
    expect(dkim.name).toMatch(/^dkim-phx-\d{8}$/);
    expect(dkim).toMatchObject({
      emailDomainId: emailDomain.id,
      lifecycleState: 'NEEDS_ATTENTION',
      isImported: false,
      keyLength: 2048,
      dnsSubdomainName: `${dkim.name}._domainkey.dkim.example.com.`,
      cnameRecordValue: `${dkim.name}.dkim.example.com.dkim.phx.delegated.example.net`,
    });
    expect(dkim.txtRecordValue).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(dkim.lifecycleDetails).toContain('No TXT record');
    expect(JSON.stringify(dkim)).not.toMatch(/PRIVATE|privateKey/i);

    // A record with another key is wrong, not missing.
    doh.zone['wrong-phx-1._domainkey.dkim.example.com'] = { TXT: ['v=DKIM1; k=rsa; p=AAAA'] };
    const wrong = await client.createDkim({
      createDkimDetails: { emailDomainId: emailDomain.id, name: 'wrong-phx-1' },
    });
    expect(wrong.dkim.lifecycleState).toBe('NEEDS_ATTENTION');
    expect(wrong.dkim.lifecycleDetails).toContain('does not hold');

    // An imported key published before it is created is ACTIVE at once, and signs for the domain.
    const imported = importedKey('imported-phx-1', 'pkcs1');
    const active = await client.createDkim({
      createDkimDetails: { emailDomainId: emailDomain.id, name: 'imported-phx-1', privateKey: imported.pem },
      opcRetryToken: 'dkim-token',
    });
    expect(active.dkim).toMatchObject({ lifecycleState: 'ACTIVE', isImported: true, keyLength: 2048 });
    expect(active.dkim.txtRecordValue).toBe(imported.txt);
    const retried = await client.createDkim({
      createDkimDetails: { emailDomainId: emailDomain.id, name: 'imported-phx-1', privateKey: imported.pem },
      opcRetryToken: 'dkim-token',
    });
    expect(retried.dkim.id).toBe(active.dkim.id);
    const waited = await client
      .createWaiters(fastWaiter)
      .forDkim({ dkimId: active.dkim.id }, models.Dkim.LifecycleState.Active);
    expect(waited?.dkim.id).toBe(active.dkim.id);
    expect((await client.getEmailDomain({ emailDomainId: emailDomain.id })).emailDomain.activeDkimId).toBe(
      active.dkim.id,
    );

    // Rotation: the newer key signs once ACTIVE; deleting it hands signing back to the older one.
    const next = importedKey('rotated-phx-2', 'pkcs8');
    const rotated = await client.createDkim({
      createDkimDetails: { emailDomainId: emailDomain.id, name: 'rotated-phx-2', privateKey: next.pem },
    });
    expect(rotated.dkim.lifecycleState).toBe('ACTIVE');
    expect((await client.getEmailDomain({ emailDomainId: emailDomain.id })).emailDomain.activeDkimId).toBe(
      rotated.dkim.id,
    );
    const removal = await client.deleteDkim({ dkimId: rotated.dkim.id });
    const removed = await client.getWorkRequest({ workRequestId: removal.opcWorkRequestId });
    expect(removed.workRequest).toMatchObject({ operationType: 'DELETE_DKIM', status: 'SUCCEEDED' });
    const deletedKey = await client
      .createWaiters(fastWaiter)
      .forDkim({ dkimId: rotated.dkim.id }, models.Dkim.LifecycleState.Deleted);
    expect(deletedKey?.dkim.lifecycleState).toBe('DELETED');
    expect((await client.getEmailDomain({ emailDomainId: emailDomain.id })).emailDomain.activeDkimId).toBe(
      active.dkim.id,
    );

    await client.updateDkim({ dkimId: active.dkim.id, updateDkimDetails: { description: 'current key' } });
    expect((await client.getDkim({ dkimId: active.dkim.id })).dkim.description).toBe('current key');

    const list = await client.listDkims({
      emailDomainId: emailDomain.id,
      sortBy: requests.ListDkimsRequest.SortBy.Name,
      sortOrder: models.SortOrder.Asc,
    });
    expect(list.dkimCollection.items.map((d) => d.name)).toEqual([
      dkim.name,
      'imported-phx-1',
      'wrong-phx-1',
    ]);
    expect(JSON.stringify(list.dkimCollection.items)).not.toMatch(/txtRecordValue|PRIVATE/);
  });

  it('creates, reads, lists, updates, locks and deletes return paths', async () => {
    const { emailDomain } = await createDomain('bounces.example.com');
    const name = 'phx1.rp.bounces.example.com';
    const first = await client.createEmailReturnPath({
      createEmailReturnPathDetails: { parentResourceId: emailDomain.id, description: 'bounces' },
      opcRetryToken: 'return-path-token',
    });
    expect(first.emailReturnPath).toMatchObject({
      name,
      parentResourceId: emailDomain.id,
      compartmentId: service.admin.tenancyId,
      lifecycleState: 'NEEDS_ATTENTION',
      dnsSubdomainName: `${name}.`,
      cnameRecordValue: `${name}.rp.phx.delegated.example.net`,
      locks: [],
    });
    expect(first.emailReturnPath.lifecycleDetails).toContain('does not authorize');
    const again = await client.createEmailReturnPath({
      createEmailReturnPathDetails: { parentResourceId: emailDomain.id, description: 'bounces' },
      opcRetryToken: 'return-path-token',
    });
    expect(again.emailReturnPath.id).toBe(first.emailReturnPath.id);
    const id = first.emailReturnPath.id;

    const byParent = await client.listEmailReturnPaths({ parentResourceId: emailDomain.id });
    expect(byParent.emailReturnPathCollection.items.map((r) => r.id)).toEqual([id]);
    const byCompartment = await client.listEmailReturnPaths({
      compartmentId: service.admin.tenancyId,
      name,
      sortBy: requests.ListEmailReturnPathsRequest.SortBy.Name,
    });
    expect(byCompartment.emailReturnPathCollection.items.map((r) => r.id)).toEqual([id]);
    expect(await refusal((c) => c.listEmailReturnPaths({}))).toMatchObject({ statusCode: 400 });

    const updated = await client.updateEmailReturnPath({
      emailReturnPathId: id,
      updateEmailReturnPathDetails: { description: 'all bounces' },
    });
    const update = await client.getWorkRequest({ workRequestId: updated.opcWorkRequestId });
    expect(update.workRequest.operationType).toBe('UPDATE_RETURN_PATH');
    expect((await client.getEmailReturnPath({ emailReturnPathId: id })).emailReturnPath.description).toBe(
      'all bounces',
    );

    await client.addReturnPathLock({
      emailReturnPathId: id,
      addLockDetails: { type: models.AddLockDetails.Type.Full },
    });
    expect(await refusal((c) => c.deleteEmailReturnPath({ emailReturnPathId: id }))).toMatchObject({
      statusCode: 409,
    });
    const unlocked = await client.removeReturnPathLock({
      emailReturnPathId: id,
      removeLockDetails: { type: models.RemoveLockDetails.Type.Full },
    });
    expect(unlocked.emailReturnPath.locks).toEqual([]);

    // Published, the return path turns ACTIVE at its next check; deleted, the waiter sees DELETED.
    const deleted = await client.deleteEmailReturnPath({ emailReturnPathId: id });
    expect(deleted.opcWorkRequestId).toBeTruthy();
    const gone = await client
      .createWaiters(fastWaiter)
      .forEmailReturnPath({ emailReturnPathId: id }, models.EmailReturnPath.LifecycleState.Deleted);
    expect(gone?.emailReturnPath.lifecycleState).toBe('DELETED');
    const works = await client.listWorkRequests({
      compartmentId: service.admin.tenancyId,
      operationType: models.OperationType.DeleteReturnPath,
    });
    expect(works.workRequestSummaryCollection.items.map((w) => w.id)).toEqual([deleted.opcWorkRequestId]);
  });

  it('refuses what the caller may not see like a missing resource, and answers bad input precisely', async () => {
    const { emailDomain } = await createDomain('private.example.com');
    const outsider = await userWith(service, 'no-domains', [
      'Allow group $GROUP to manage approved-senders in tenancy',
    ]);
    const theirs = emailClient(service, outsider);
    const call = async (run: () => Promise<unknown>) =>
      (await run().then(
        () => undefined,
        (e: unknown) => e,
      )) as { statusCode: number; serviceCode: string };
    expect(await call(() => theirs.getEmailDomain({ emailDomainId: emailDomain.id }))).toMatchObject({
      statusCode: 404,
      serviceCode: 'NotAuthorizedOrNotFound',
    });
    expect(
      await call(() => theirs.listEmailDomains({ compartmentId: service.admin.tenancyId })),
    ).toMatchObject({ statusCode: 404 });
    expect(
      await call(() => theirs.createDkim({ createDkimDetails: { emailDomainId: emailDomain.id } })),
    ).toMatchObject({ statusCode: 404 });
    theirs.close();

    const reader = await userWith(service, 'domain-reader', [
      'Allow group $GROUP to read email-family in tenancy',
    ]);
    const readers = emailClient(service, reader);
    expect((await readers.getEmailDomain({ emailDomainId: emailDomain.id })).emailDomain.id).toBe(
      emailDomain.id,
    );
    expect(await call(() => readers.deleteEmailDomain({ emailDomainId: emailDomain.id }))).toMatchObject({
      statusCode: 404,
    });
    readers.close();

    expect(
      await refusal((c) =>
        c.createDkim({ createDkimDetails: { emailDomainId: emailDomain.id, privateKey: 'not a key' } }),
      ),
    ).toMatchObject({ statusCode: 400, serviceCode: 'InvalidParameter' });
    expect(
      await refusal((c) =>
        c.createDkim({ createDkimDetails: { emailDomainId: emailDomain.id, name: 'bad selector!' } }),
      ),
    ).toMatchObject({ statusCode: 400 });
    expect(
      await refusal((c) =>
        c.createEmailReturnPath({
          createEmailReturnPathDetails: { parentResourceId: emailDomain.id, name: 'rp.elsewhere.com' },
        }),
      ),
    ).toMatchObject({ statusCode: 400 });
  });

  it('keeps private keys sealed: no column, response or log line holds one in plain text', async () => {
    const text = await storedText();
    expect(text).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    expect(text).toMatch(/"v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+"/);
    expect(service.logs.join('\n')).not.toMatch(/PRIVATE KEY|sealed_private_key|MII[A-Za-z0-9+/]{40}/);
    const secrets = readdirSync(join(service.dataDir, 'secrets'));
    expect(secrets).toContain('secrets-key');
    expect(readFileSync(join(service.dataDir, 'secrets', 'secrets-key'), 'utf8').length).toBeGreaterThan(20);
  });
});
