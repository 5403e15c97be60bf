import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CA } from '../../support/smtp-sink';
import type { Sink } from '../../support/smtp-sink-protocol';
import { scriptedSink } from '../delivery/delivery-world';
import { eventually } from '../delivery/node-support';
import type { NodeService } from '../identity/node-service';
import { startService } from '../identity/node-service';
import { approveSender, controlClient, dataClient, IAD, once, PHX } from '../submission/submission-service';

const SENDER = 'noreply@example.com';
const FEEDBACK_SECRET = 'an-end-to-end-feedback-secret-of-32-chars';
let sink: Sink;
let service: NodeService;

beforeAll(async () => {
  sink = await scriptedSink({
    'gone@example.net': { at: 'rcpt', reply: 550, text: '5.1.1 <gone@example.net>: user unknown' },
  });
  service = await startService(
    {
      RELAY_URL: `smtps://127.0.0.1:${sink.port}`,
      PUBLIC_BASE_URL: 'https://mail.example.test',
      FEEDBACK_SECRET,
    },
    { relayCa: TEST_CA, deliveryPollMs: 100 },
  );
  await approveSender(service, SENDER);
  await approveSender(service, SENDER, IAD);
});
afterAll(async () => {
  await service.stop();
  await sink.close();
});

const submit = (to: string[], region = PHX) =>
  dataClient(service, region).submitEmail({
    submitEmailDetails: {
      sender: { compartmentId: service.admin.tenancyId, senderAddress: { email: SENDER } },
      recipients: { to: to.map((email) => ({ email })) },
      subject: 'Feedback loop',
      bodyText: 'hello',
    },
    ...once,
  });

const suppressionOf = async (emailAddress: string) => {
  const client = controlClient(service, PHX);
  const { items } = await client.listSuppressions({ compartmentId: service.admin.tenancyId, emailAddress });
  const { suppression } = await client.getSuppression({ suppressionId: items[0]!.id });
  client.close();
  return suppression;
};

/** A DSN from relay.example.net: one recipient refused by mx.example.org, one with no Remote-MTA. */
const dsn = (messageId: string, [remote, local]: [string, string]) =>
  [
    'From: MAILER-DAEMON@relay.example.net',
    'To: noreply@example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example.net',
    '',
    `Final-Recipient: rfc822; ${remote}`,
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.example.org',
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '',
    `Final-Recipient: rfc822; ${local}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 no such mailbox',
    '',
    '--B1',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: <${messageId}>`,
    '',
    '--B1--',
    '',
  ].join('\r\n');

const suppressionsIn = async (region: string) => {
  const client = controlClient(service, region);
  const { items } = await client.listSuppressions({ compartmentId: service.admin.tenancyId });
  client.close();
  return items;
};

describe('the feedback loop end to end (real Node entry, TLS sink, OCI SDK)', () => {
  it('a 550 at RCPT becomes a HARDBOUNCE in that region only, and the next submit reports it suppressed', async () => {
    const { emailSubmittedResponse: first } = await submit(['gone@example.net', 'kept@example.net']);
    const [entry] = await eventually(async () => {
      const items = await suppressionsIn(PHX);
      return items.length > 0 ? items : undefined;
    });
    expect(entry).toMatchObject({ emailAddress: 'gone@example.net', reason: 'HARDBOUNCE' });
    const client = controlClient(service, PHX);
    const { suppression } = await client.getSuppression({ suppressionId: entry!.id });
    client.close();
    expect(suppression).toMatchObject({
      messageId: first.messageId,
      errorDetail: '550 5.1.1 <gone@example.net>: user unknown',
      // The relay gave the reply and named no other host.
      errorSource: '127.0.0.1',
    });
    expect(suppression.timeLastSuppressed).toBeDefined();
    expect(await suppressionsIn(IAD)).toEqual([]);
    expect(service.logs.some((line) => line.includes('"event":"suppression.added"'))).toBe(true);

    const { emailSubmittedResponse: second } = await submit(['gone@example.net']);
    expect(second.suppressedRecipients).toEqual([{ email: 'gone@example.net' }]);

    // Deleting the entry lets mail to the address flow again.
    const deleter = controlClient(service, PHX);
    await deleter.deleteSuppression({ suppressionId: entry!.id });
    deleter.close();
    const { emailSubmittedResponse: third } = await submit(['gone@example.net']);
    expect(third.suppressedRecipients).toEqual([]);
  });

  it('the delivered copy carries a working one-click link; its POST suppresses the reader', async () => {
    await submit(['reader@example.net']);
    const copy = await eventually(async () => {
      const { transactions } = await sink.record();
      return transactions.find((t) => t.rcptTo[0] === 'reader@example.net');
    });
    const parsed = await PostalMime.parse(copy.raw);
    const link = parsed.headers.find((h) => h.key === 'list-unsubscribe')?.value ?? '';
    const token = /^<https:\/\/mail\.example\.test\/unsubscribe\/([^>]+)>$/.exec(link)?.[1];
    expect(token, link).toBeDefined();
    expect(parsed.headers.find((h) => h.key === 'list-unsubscribe-post')?.value).toBe(
      'List-Unsubscribe=One-Click',
    );
    const response = await fetch(`${service.server.url}/unsubscribe/${token!}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    const items = await suppressionsIn(PHX);
    expect(items).toContainEqual(
      expect.objectContaining({ emailAddress: 'reader@example.net', reason: 'UNSUBSCRIBE' }),
    );
  });

  it('a DSN suppresses with the Remote-MTA, or else the Reporting-MTA, as errorSource', async () => {
    const recipients: [string, string] = ['remote-refused@example.net', 'local-refused@example.net'];
    const { emailSubmittedResponse: sent } = await submit(recipients);
    await eventually(async () => {
      const { transactions } = await sink.record();
      const relayed = transactions.filter((t) => recipients.includes(t.rcptTo[0] ?? ''));
      return relayed.length === 2 ? relayed : undefined;
    });
    const report = await fetch(`${service.server.url}/${PHX}/20220926/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FEEDBACK_SECRET}`, 'content-type': 'message/rfc822' },
      body: dsn(sent.messageId, recipients),
    });
    expect(report.status).toBe(202);
    expect(await suppressionOf(recipients[0])).toMatchObject({
      reason: 'HARDBOUNCE',
      messageId: sent.messageId,
      errorDetail: '550 5.1.1 user unknown',
      errorSource: 'mx.example.org',
    });
    expect(await suppressionOf(recipients[1])).toMatchObject({
      reason: 'HARDBOUNCE',
      messageId: sent.messageId,
      errorSource: 'relay.example.net',
    });
  });
});
