import { describe, expect, it } from 'vitest';
import { signedFetch } from '../../support/node-admin';
import { signRequest, type Principal } from '../../../src/crypto/request-signature';
import { mailbox, mailText, rawMessage } from './ingress-world';
import {
  FROM,
  groupWithPolicy,
  implicitTransport,
  PHX,
  serviceUser,
  startStandaloneWorld,
  type StandaloneWorld,
} from './standalone-world';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();

async function world(): Promise<StandaloneWorld> {
  const started = await startStandaloneWorld();
  cleanup.push(() => started.stop());
  return started;
}

const POST_SIGNED = [
  'x-date',
  '(request-target)',
  'host',
  'content-type',
  'content-length',
  'x-content-sha256',
];

/** A POST signed as `principal`, naming `onBehalfOf` in a header that is signed unless told otherwise. */
async function postFor(
  w: StandaloneWorld,
  principal: Principal,
  onBehalfOf: string,
  request: { path: string; body: string; headers: Record<string, string>; signHeader?: boolean },
): Promise<Response> {
  const signed = await signRequest(
    principal,
    'POST',
    `${w.api.server.url}${request.path}`,
    request.body,
    { ...request.headers, 'opc-on-behalf-of': onBehalfOf },
    {
      now: new Date(),
      signedHeaders: request.signHeader === false ? POST_SIGNED : [...POST_SIGNED, 'opc-on-behalf-of'],
    },
  );
  return fetch(signed.url, signed);
}

const submitFor = (w: StandaloneWorld, principal: Principal, onBehalfOf: string, signHeader = true) =>
  postFor(w, principal, onBehalfOf, {
    path: `/${PHX}/20220926/actions/submitRawEmail`,
    body: rawMessage('on behalf'),
    headers: {
      'content-type': 'message/rfc822',
      'compartment-id': principal.tenancyId,
      sender: FROM,
      recipients: 'to@example.net',
    },
    signHeader,
  });

/** The API's sender lookup, as the ingress acting for `onBehalfOf`. */
async function lookupFor(w: StandaloneWorld, onBehalfOf: string, address: string): Promise<Response> {
  const signed = await signRequest(
    w.ingressUser,
    'GET',
    `${w.api.server.url}/${PHX}/20170907/smtpSenderLookups?emailAddress=${encodeURIComponent(address)}`,
    undefined,
    { 'opc-on-behalf-of': onBehalfOf },
    { now: new Date(), signedHeaders: ['x-date', '(request-target)', 'host', 'opc-on-behalf-of'] },
  );
  return fetch(signed.url, signed);
}

const verify = (w: StandaloneWorld, principal: Principal, username: string, password: string) =>
  signedFetch(principal, 'POST', `${w.api.server.url}/20160918/smtpCredentialVerifications`, {
    username,
    password,
  });

async function noMail(w: StandaloneWorld): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 500)); // a few delivery polls
  const response = await w.api.call('GET', '/_dev/mailbox');
  expect(((await response.json()) as { items: unknown[] }).items).toEqual([]);
}

describe('standalone SMTP ingress (npm run ingress) forwarding to a remote API', () => {
  it('delivers over implicit TLS as the credential user, each recipient once', async () => {
    const w = await world();
    const mailer = implicitTransport(w);
    cleanup.push(() => Promise.resolve(mailer.close()));
    const info = await mailer.sendMail({
      from: `App <${FROM}>`,
      to: 'to@example.net',
      cc: 'cc@example.net',
      bcc: 'hidden@example.net',
      subject: 'through the standalone ingress',
      text: 'Hello over SMTP and HTTP.',
    });
    expect(info.accepted.sort()).toEqual(['cc@example.net', 'hidden@example.net', 'to@example.net']);
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as <.+>$/);

    const items = await mailbox(w.api, 3);
    expect(items.map((item) => item.rcptTo).sort()).toEqual([
      ['cc@example.net'],
      ['hidden@example.net'],
      ['to@example.net'],
    ]);
    expect(items.every((item) => item.mailFrom === FROM)).toBe(true);
    const text = await mailText(w.api, items[0]?.id ?? '');
    expect(text).toContain('Subject: through the standalone ingress\r\n');
    expect(text).not.toContain('hidden@example.net');
    expect(w.ingressLogs.join('\n')).not.toContain(w.sender.login.password);
  });

  it('answers a wrong password with 535 5.7.8 and an unapproved MAIL FROM with 550 5.7.1', async () => {
    const w = await world();
    const wrong = implicitTransport(w, { username: w.sender.login.username, password: 'not-the-password' });
    cleanup.push(() => Promise.resolve(wrong.close()));
    await expect(wrong.verify()).rejects.toMatchObject({
      responseCode: 535,
      response: expect.stringContaining('5.7.8') as unknown,
    });
    const mailer = implicitTransport(w);
    cleanup.push(() => Promise.resolve(mailer.close()));
    await expect(
      mailer.sendMail({ from: 'other@example.com', to: 'to@example.net', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('5.7.1') as unknown });
    expect(w.ingressLogs.join('\n')).not.toContain('not-the-password');
  });

  it('answers the verification only to a caller granted use smtp-ingress, about its own tenancy', async () => {
    const w = await world();
    const { username, password } = w.sender.login;
    const granted = await verify(w, w.ingressUser, username, password);
    expect(granted.status).toBe(200);
    expect(await granted.json()).toEqual({ tenancyId: w.ingressUser.tenancyId, userId: w.sender.userId });

    expect((await verify(w, w.ingressUser, username, 'wrong')).status).toBe(401);
    const plain = await serviceUser(w.api, 'plain', []);
    const refused = await verify(w, plain, username, password);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 'NotAuthorizedOrNotFound' });

    const tenancyId = w.api.admin.tenancyId;
    await w.api.call('POST', '/20160918/compartments', {
      compartmentId: tenancyId,
      name: 'Apps',
      description: 'a',
    });
    const below = await w.api.call('POST', '/20160918/policies', {
      compartmentId: tenancyId,
      name: 'IngressBelow',
      description: 'only in tenancy',
      statements: ['Allow group SmtpIngress to use smtp-ingress in compartment Apps'],
    });
    expect(below.status).toBe(400);
    expect(await below.text()).toContain('smtp-ingress live at tenancy level');
  });

  it('refuses opc-on-behalf-of from a principal without the grant, unsigned, or beyond approved senders', async () => {
    const w = await world();
    const other = await groupWithPolicy(w.api, 'Readers', [
      'Allow group Readers to manage approved-senders in tenancy',
    ]);
    const ungranted = await serviceUser(w.api, 'not-an-ingress', [other]);
    const refused = await submitFor(w, ungranted, w.sender.userId);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 'NotAuthorizedOrNotFound' });

    expect((await submitFor(w, w.ingressUser, w.sender.userId, false)).status).toBe(401);
    expect((await submitFor(w, w.ingressUser, 'ocid1.user.oc1..aaaaaaaanobody')).status).toBe(404);
    // Acting for the administrator still grants nothing but approved senders.
    const identityCall = await postFor(w, w.ingressUser, w.api.admin.userId, {
      path: '/20160918/groups',
      body: JSON.stringify({ compartmentId: w.api.admin.tenancyId, name: 'Escalated', description: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(identityCall.status).toBe(404);
    const groups = await w.api.call('GET', `/20160918/groups?compartmentId=${w.api.admin.tenancyId}`);
    expect(JSON.stringify(await groups.json())).not.toContain('Escalated');
    await noMail(w);

    const allowed = await submitFor(w, w.ingressUser, w.sender.userId);
    expect(allowed.status, await allowed.clone().text()).toBe(200);
    expect(await mailbox(w.api, 1)).toHaveLength(1);
  });

  it('finds MAIL FROM below the tenancy with one lookup as the user, only where the user may use it', async () => {
    const w = await world();
    const created = await w.api.call('POST', '/20160918/compartments', {
      compartmentId: w.api.admin.tenancyId,
      name: 'Apps',
      description: 'a',
    });
    const apps = ((await created.json()) as { id: string }).id;
    const sender = await w.api.call('POST', `/${PHX}/20170907/senders`, {
      compartmentId: apps,
      emailAddress: 'apps@example.com',
    });
    expect(sender.status).toBe(200);

    const found = await lookupFor(w, w.sender.userId, 'APPS@example.com');
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({ compartmentId: apps });
    expect((await lookupFor(w, w.sender.userId, 'nobody@example.com')).status).toBe(404);
    const ungranted = await serviceUser(w.api, 'no-senders', []);
    const refused = await lookupFor(w, ungranted.userId, 'apps@example.com');
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 'NotAuthorizedOrNotFound' });

    const mailer = implicitTransport(w);
    cleanup.push(() => Promise.resolve(mailer.close()));
    const info = await mailer.sendMail({
      from: 'apps@example.com',
      to: 'to@example.net',
      subject: 'x',
      text: 'x',
    });
    expect(info.accepted).toEqual(['to@example.net']);
    expect(await mailbox(w.api, 1)).toHaveLength(1);
  });
});
