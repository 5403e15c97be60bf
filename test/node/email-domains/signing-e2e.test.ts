import { generateKeyPairSync } from 'node:crypto';
import { models, type EmailClient } from 'oci-email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionCatalog } from '../../../src/config/region-catalog';
import { signedFetch } from '../../support/node-admin';
import { PHX } from '../../support/regions';
import { emailClient, startService, type NodeService } from '../identity/node-service';
import { startDohServer, type DohServer } from '../spf/doh-server';
import { dataClient } from '../submission/submission-service';
import { eventually } from '../delivery/node-support';
import { verifiedDkim } from '../../support/dkim-verifier';

const DOMAIN = 'sign.example.com';
const FROM = `app@${DOMAIN}`;
const SELECTOR = 'sign-phx-20261205';
const RETURN_PATH = `phx1.rp.${DOMAIN}`;
const FEEDBACK_SECRET = 'a-signing-feedback-secret-of-32-chars!';
const spfInclude = regionCatalog.find((region) => region.id === PHX)!.spfInclude;

interface MailboxEntry {
  id: string;
  mailFrom: string;
  rcptTo: string[];
}

let doh: DohServer;
let service: NodeService;
let client: EmailClient;
let emailDomainId: string;

const call = (method: string, path: string) =>
  signedFetch(
    { ...service.admin, privateKey: service.admin.keys.privateKey },
    method,
    `${service.server.url}${path}`,
  );

async function mailbox(count: number): Promise<MailboxEntry[]> {
  return eventually(async () => {
    const { items } = (await (await call('GET', '/_dev/mailbox')).json()) as { items: MailboxEntry[] };
    return items.length >= count ? items : undefined;
  });
}

const copyOf = async (entry: MailboxEntry) => (await call('GET', `/_dev/mailbox/${entry.id}`)).text();

beforeAll(async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  doh = await startDohServer({
    [DOMAIN]: { TXT: [`v=spf1 include:${spfInclude} -all`] },
    [`_dmarc.${DOMAIN}`]: { TXT: ['v=DMARC1; p=reject'] },
    [`${SELECTOR}._domainkey.${DOMAIN}`]: { TXT: [`v=DKIM1; k=rsa; p=${publicKey.toString('base64')}`] },
    [RETURN_PATH]: { TXT: [`v=spf1 include:${spfInclude} -all`] },
  });
  doh.ttlSeconds = 0;
  service = await startService({
    DOH_URL: doh.url,
    PUBLIC_BASE_URL: 'https://mail.example.test',
    FEEDBACK_SECRET,
  });
  client = emailClient(service);
  const tenancy = service.admin.tenancyId;
  await client.createSender({ createSenderDetails: { compartmentId: tenancy, emailAddress: FROM } });
  const { emailDomain } = await client.createEmailDomain({
    createEmailDomainDetails: { name: DOMAIN, compartmentId: tenancy },
  });
  emailDomainId = emailDomain.id;
  expect(emailDomain.isSpf).toBe(true);
  const { dkim } = await client.createDkim({
    createDkimDetails: { emailDomainId, name: SELECTOR, privateKey },
  });
  expect(dkim.lifecycleState).toBe('ACTIVE');
  const { emailReturnPath } = await client.createEmailReturnPath({
    createEmailReturnPathDetails: { parentResourceId: emailDomainId },
  });
  expect(emailReturnPath).toMatchObject({ name: RETURN_PATH, lifecycleState: 'ACTIVE' });
});
afterAll(async () => {
  client.close();
  await service.stop();
  await doh.close();
});

describe('signing and return paths end to end (Node, capture mailbox)', () => {
  it('reports the domain authenticated: SPF, the signing DKIM, the return path and DMARC', async () => {
    const response = await call('GET', `/${PHX}/20170907/emailDomains/${emailDomainId}/authentication`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      name: DOMAIN,
      isAuthenticated: true,
      alignment: { dkim: true, spf: true },
      spf: { authorized: true },
      dkim: { activeSelector: SELECTOR, pending: [] },
      returnPath: { name: RETURN_PATH, lifecycleState: 'ACTIVE' },
      dmarc: { policy: 'reject' },
      toPublish: [],
    });
  });

  it('signs each copy after its List-Unsubscribe is added, and sends it from an address naming the copy', async () => {
    const data = dataClient(service);
    const sent = await data.submitEmail({
      submitEmailDetails: {
        sender: { senderAddress: { email: FROM, name: 'App' }, compartmentId: service.admin.tenancyId },
        recipients: { to: [{ email: 'first@example.net' }, { email: 'second@example.net' }] },
        subject: 'Signed',
        bodyText: 'Hello, signed world.',
      },
    });
    data.close();
    const entries = await mailbox(2);
    const resolve = (name: string) => doh.zone[name.replace(/\.$/, '')]?.TXT;
    const addresses = new Set<string>();
    for (const entry of entries) {
      expect(entry.mailFrom).toMatch(/^b\.[a-z0-9]{32}\.[a-z2-7]{12}@phx1\.rp\.sign\.example\.com$/);
      addresses.add(entry.mailFrom);
      const raw = await copyOf(entry);
      expect(raw.startsWith('DKIM-Signature: ')).toBe(true);
      const verdict = await verifiedDkim(raw, resolve);
      expect(verdict).toMatchObject({ result: 'pass', domain: DOMAIN, selector: SELECTOR });
      expect(verdict.signedHeaders).toEqual(
        expect.arrayContaining([
          'from',
          'to',
          'subject',
          'date',
          'message-id',
          'list-unsubscribe',
          'list-unsubscribe-post',
        ]),
      );
      const changed = raw.replace('Hello, signed world.', 'Hello, changed world.');
      expect((await verifiedDkim(changed, resolve)).result).not.toBe('pass');
      const unsubscribe = raw.replace(/(List-Unsubscribe: <[^>]*)>/, '$1x>');
      expect((await verifiedDkim(unsubscribe, resolve)).result).not.toBe('pass');
    }
    expect(addresses.size).toBe(2);
    expect(sent.emailSubmittedResponse.messageId).toBeTruthy();
  });

  it('matches a bounce sent to a copy’s return address to that recipient, without the original message', async () => {
    const entries = await mailbox(2);
    const entry = entries.find((e) => e.rcptTo[0] === 'second@example.net')!;
    const dsn = [
      'From: MAILER-DAEMON@mx.example.net',
      `To: ${entry.mailFrom}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
      '',
      '--B1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; forwarded-somewhere@example.org',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 no such user',
      '',
      '--B1--',
      '',
    ].join('\r\n');
    const forged = dsn.replace(entry.mailFrom, entry.mailFrom.replace(/\.([a-z2-7]{12})@/, '.aaaaaaaaaaaa@'));
    for (const body of [forged, dsn]) {
      const reported = await fetch(`${service.server.url}/${PHX}/20220926/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${FEEDBACK_SECRET}`, 'content-type': 'message/rfc822' },
        body,
      });
      expect(reported.status).toBe(202);
      const receipt = (await reported.json()) as { status: string; applied: number };
      expect(receipt).toMatchObject(
        body === dsn ? { status: 'matched', applied: 1 } : { status: 'unmatched' },
      );
    }
    const { items } = await client.listSuppressions({ compartmentId: service.admin.tenancyId });
    expect(items.map((s) => [s.emailAddress, s.reason])).toEqual([['second@example.net', 'HARDBOUNCE']]);
  });

  it('stops signing once the domain has no ACTIVE key', async () => {
    const { dkimCollection } = await client.listDkims({ emailDomainId });
    for (const dkim of dkimCollection.items) await client.deleteDkim({ dkimId: dkim.id });
    const domain = await client.getEmailDomain({ emailDomainId });
    expect(domain.emailDomain.activeDkimId).toBeUndefined();
    expect(models.EmailDomain.LifecycleState.Active).toBe(domain.emailDomain.lifecycleState);
  });
});
