import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, expect, inject, it } from 'vitest';
import worker from '../../../src/worker';
import { generateDkimKey, importDkimPrivateKey, signingKeyOf } from '../../../src/crypto/dkim-keys';
import { signDkim } from '../../../src/mime/dkim-signature';
import sameBytes from '../../fixtures/dkim/same-bytes.json';
import { toBase64 } from '../../../src/crypto/base64';
import { signRequest } from '../../../src/crypto/request-signature';
import { remoteDohServers, type RemoteDohServer } from '../../support/doh-control';
import { remoteDkimVerify, remoteSinks } from '../../support/remote-sinks';
import type { Sink } from '../../support/smtp-sink-protocol';
import { signedFetch, workerAdmin } from '../signed-fetch';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaedgedkim';
const DOMAIN = 'edge-signed.example.com';
const SENDER = `app@${DOMAIN}`;
const SELECTOR = 'edge-phx-1';
const control = inject('smtpSinkControl');
const sinks = remoteSinks(control);
const doh = remoteDohServers(inject('dohControl'));
let sink: Sink | undefined;
let server: RemoteDohServer | undefined;

afterEach(async () => {
  await sink?.close();
  await server?.close();
  sink = undefined;
  server = undefined;
});

/** A PEM the way a user imports one: the generated PKCS#8 key, base64 in 64-character lines. */
const pemOf = (pkcs8: Uint8Array) =>
  `-----BEGIN PRIVATE KEY-----\n${toBase64(pkcs8).replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;

it('signs each copy on Workers so that an independent verifier passes it (Workers + D1)', async () => {
  const key = await generateDkimKey();
  const txt = { [`${SELECTOR}._domainkey.${DOMAIN}`]: [`v=DKIM1; k=rsa; p=${key.publicKeySpkiBase64}`] };
  server = await doh.start({
    [`${SELECTOR}._domainkey.${DOMAIN}`]: { TXT: txt[`${SELECTOR}._domainkey.${DOMAIN}`] },
  });
  sink = await sinks.start({ tls: 'implicit' });
  const bindings = { ...env, DOH_URL: server.url, RELAY_URL: `smtps://127.0.0.1:${sink.port}` } as typeof env;
  const admin = await workerAdmin(TENANCY);
  const call = async (method: string, path: string, body?: unknown) => {
    const signed = await signRequest(
      admin,
      method,
      `http://worker.test${path}`,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? {} : { 'content-type': 'application/json' },
      { now: new Date() },
    );
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(signed.url, signed), bindings, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  expect([200, 409]).toContain(
    (await call('POST', '/us-phoenix-1/20170907/senders', { compartmentId: TENANCY, emailAddress: SENDER }))
      .status,
  );
  const created = await call('POST', '/us-phoenix-1/20170907/emailDomains', {
    compartmentId: TENANCY,
    name: DOMAIN,
  });
  expect(created.status).toBe(200);
  const domain = await created.json<{ id: string }>();
  const dkim = await call('POST', '/us-phoenix-1/20170907/dkims', {
    emailDomainId: domain.id,
    name: SELECTOR,
    privateKey: pemOf(key.privateKeyPkcs8),
  });
  expect(dkim.status).toBe(200);
  expect(await dkim.json()).toMatchObject({ lifecycleState: 'ACTIVE', isImported: true });

  const submitted = await call('POST', '/us-phoenix-1/20220926/actions/submitEmail', {
    sender: { compartmentId: TENANCY, senderAddress: { email: SENDER } },
    recipients: { to: [{ email: 'edge@example.net' }] },
    subject: 'signed at the edge',
    bodyText: 'hello from workerd',
  });
  expect(submitted.status).toBe(200);
  const [copy] = (await sink.record()).transactions;
  expect(copy?.raw.startsWith('DKIM-Signature: ')).toBe(true);
  const verdict = await remoteDkimVerify(control, copy!.raw, txt);
  expect(verdict).toMatchObject({ result: 'pass', domain: DOMAIN, selector: SELECTOR });
  const tampered = copy!.raw.replace('hello from workerd', 'hello from elsewhere');
  expect((await remoteDkimVerify(control, tampered, txt)).result).not.toBe('pass');
  // Keeps signedFetch's admin for the next files' sake.
  expect((await signedFetch(admin, 'GET', `/us-phoenix-1/20170907/emailDomains/${domain.id}`)).status).toBe(
    200,
  );
});

it('signs the same bytes as Node: the fixture Node signed verifies byte for byte here', async () => {
  const fixture = sameBytes;
  const key = await importDkimPrivateKey(fixture.privateKeyPem);
  expect(key.publicKeySpkiBase64).toBe(fixture.publicKey);
  const signed = await signDkim(fixture.message, {
    domain: fixture.domain,
    selector: fixture.selector,
    key: await signingKeyOf(key.privateKeyPkcs8),
    now: new Date(fixture.now),
  });
  expect(signed).toBe(fixture.signed);
});
