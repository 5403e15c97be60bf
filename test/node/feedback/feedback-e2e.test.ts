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
let sink: Sink;
let service: NodeService;

beforeAll(async () => {
  sink = await scriptedSink({
    'gone@example.net': { at: 'rcpt', reply: 550, text: '5.1.1 <gone@example.net>: user unknown' },
  });
  service = await startService(
    { RELAY_URL: `smtps://127.0.0.1:${sink.port}`, PUBLIC_BASE_URL: 'https://mail.example.test' },
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
});
