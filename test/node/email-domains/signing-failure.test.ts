import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../../src/crypto/base64';
import { generateDkimKey } from '../../../src/crypto/dkim-keys';
import { secretBox } from '../../../src/crypto/secret-box';
import { deliverDue } from '../../../src/domain/delivery/deliver-due';
import { TRANSFORM_ATTEMPTS } from '../../../src/domain/delivery/run';
import { authenticateCopies } from '../../../src/domain/email-domains/authenticate-copy';
import type { Dkim, WorkRequest } from '../../../src/domain/email-domains/ports';
import { RETRY_INTERVALS_MS } from '../../../src/domain/delivery/retry-schedule';
import { cleanupAfterEach } from '../../support/cleanup';
import { verifiedDkim } from '../../support/dkim-verifier';
import { createDeliveryWorld, rawMessage, scriptedSink, TENANCY } from '../delivery/delivery-world';

const cleanup = cleanupAfterEach();
const KEY = 'a-signing-failure-secrets-key-of-32+chars';

/** The delivery world's sender domain (example.test) as an email domain with an ACTIVE key sealed as given. */
async function signingWorld(sealed: (pkcs8: Uint8Array) => Promise<string>) {
  const sink = await scriptedSink();
  cleanup.push(() => sink.close());
  const w = await createDeliveryWorld({ port: sink.port });
  cleanup.push(() => w.close());
  const now = w.runtime.clock.now();
  const repository = w.region.store.forTenancy(TENANCY).emailDomains;
  const work = (id: string): WorkRequest => ({
    id,
    compartmentId: TENANCY,
    operationType: 'CREATE_DKIM',
    status: 'SUCCEEDED',
    resources: [],
    percentComplete: 100,
    timeAccepted: now,
    timeStarted: now,
    timeFinished: now,
    logs: [],
    errors: [],
  });
  const common = { compartmentId: TENANCY, description: null, freeformTags: {}, definedTags: {}, etag: 'e' };
  const times = { timeCreated: now, timeUpdated: now };
  await repository.insertDomain(
    {
      ...common,
      ...times,
      id: 'domain-1',
      name: 'example.test',
      lifecycleState: 'ACTIVE',
      activeDkimId: null,
      isSpf: true,
      domainVerificationId: null,
      locks: [],
    },
    work('work-1'),
  );
  const key = await generateDkimKey();
  const dkim: Dkim = {
    ...common,
    ...times,
    id: 'dkim-1',
    emailDomainId: 'domain-1',
    domainName: 'example.test',
    name: 'test-phx-1',
    lifecycleState: 'ACTIVE',
    lifecycleDetails: null,
    isImported: false,
    keyLength: 2048,
    publicKey: key.publicKeySpkiBase64,
    sealedPrivateKey: await sealed(key.privateKeyPkcs8),
    timeActivated: now,
    nextCheckAt: null,
  };
  await repository.insertDkim(dkim, work('work-2'));
  const hooks = {
    transformCopy: authenticateCopies(w.runtime, { keys: secretBox(KEY), returnPaths: undefined }),
  };
  return { sink, w, hooks, txt: `v=DKIM1; k=rsa; p=${key.publicKeySpkiBase64}` };
}

describe('signing at relay time', () => {
  it('relays each copy signed with the domain’s ACTIVE key', async () => {
    const { sink, w, hooks, txt } = await signingWorld((pkcs8) => secretBox(KEY).seal(toBase64(pkcs8)));
    await w.enqueue(['someone@example.net'], rawMessage('signed'));
    expect(await deliverDue(w.runtime, w.region, { hooks })).toMatchObject({ delivered: 1 });
    const [copy] = (await sink.record()).transactions;
    const verdict = await verifiedDkim(copy!.raw, (name) =>
      name === 'test-phx-1._domainkey.example.test' ? [txt] : undefined,
    );
    expect(verdict).toMatchObject({ result: 'pass', domain: 'example.test' });
  });

  it('never sends a copy it cannot sign: retries it, then fails it with the reason, and counts no bounce', async () => {
    const { sink, w, hooks } = await signingWorld(() => secretBox(`${KEY}-another`).seal('not this key'));
    const [id] = await w.enqueue(['someone@example.net'], rawMessage('unsignable'));
    for (let attempt = 1; attempt <= TRANSFORM_ATTEMPTS; attempt++) {
      const report = await deliverDue(w.runtime, w.region, { hooks });
      expect(report).toMatchObject(attempt < TRANSFORM_ATTEMPTS ? { retrying: 1 } : { failed: 1 });
      w.runtime.clock.advance(RETRY_INTERVALS_MS.at(-1)!);
    }
    expect((await sink.record()).transactions).toEqual([]);
    const row = await w.row(id!);
    expect(row).toMatchObject({
      state: 'FAILED',
      attempts: TRANSFORM_ATTEMPTS,
      lastCode: null,
      lastEnhanced: '5.7.0',
    });
    expect(row.lastDetail).toContain('could not be opened');
    const suppressions = await w.region.store
      .forTenancy(TENANCY)
      .suppressions.list({}, { sortBy: 'TIMECREATED', sortOrder: 'DESC', limit: 10 });
    expect(suppressions.items).toEqual([]);
  });
});
