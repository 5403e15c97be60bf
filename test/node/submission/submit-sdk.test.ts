import PostalMime from 'postal-mime';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../../support/node-admin';
import type { NodeService } from '../identity/node-service';
import {
  approveSender,
  controlClient,
  dataClient,
  expectRefused,
  mailTables,
  once,
  PHX,
  rawRequest,
  rowCounts,
  startSubmissionService,
  storedMessage,
  suppress,
} from './submission-service';

const HOUR = 3_600_000;
let service: NodeService;

beforeAll(async () => {
  service = await startSubmissionService();
  await approveSender(service, 'noreply@example.com');
});
afterAll(() => service.stop());

const details = (overrides: Record<string, unknown> = {}) => ({
  sender: {
    compartmentId: service.admin.tenancyId,
    senderAddress: { email: 'noreply@example.com', name: 'No Reply' },
  },
  recipients: { to: [{ email: 'alice@example.net', name: 'Alice' }] },
  subject: 'Hello ☃',
  bodyText: 'plain body',
  ...overrides,
});

const adminPrincipal = () => ({
  tenancyId: service.admin.tenancyId,
  userId: service.admin.userId,
  fingerprint: service.admin.fingerprint,
  privateKey: service.admin.keys.privateKey,
});

describe('submitEmail through oci-emaildataplane', () => {
  it('accepts, writes one row per distinct recipient and stores the composed message without Bcc', async () => {
    const client = dataClient(service);
    const { emailSubmittedResponse: answer } = await client.submitEmail({
      submitEmailDetails: details({
        recipients: {
          to: [{ email: 'alice@example.net', name: 'Alice' }],
          cc: [{ email: 'bob@example.net' }, { email: 'ALICE@example.net' }],
          bcc: [{ email: 'carol-hidden@example.net' }],
        },
        bodyHtml: '<p>html body</p>',
        headerFields: { 'X-Campaign': 'test-1' },
      }),
    });
    expect(answer.messageId).toMatch(/^[a-z2-7]{32}@example\.com$/);
    expect(answer.envelopeId).toMatch(/^[a-z2-7]{32}$/);
    expect(answer.suppressedRecipients).toEqual([]);

    const tables = await mailTables(service);
    const submission = tables.submissions.find((s) => s.id === answer.envelopeId);
    expect(submission).toMatchObject({ message_id: answer.messageId, sender: 'noreply@example.com' });
    const rows = tables.deliveries.filter((d) => d.submission_id === answer.envelopeId);
    expect(rows.map((r) => r.recipient)).toEqual([
      'alice@example.net',
      'bob@example.net',
      'carol-hidden@example.net',
    ]);
    for (const row of rows) {
      // The Node entry's delivery worker may already be relaying them to its capture mailbox.
      expect(['QUEUED', 'DELIVERED']).toContain(row.state);
      expect(row.give_up_at - row.time_created).toBe(72 * HOUR);
    }

    const message = storedMessage(tables, answer.envelopeId);
    expect(message).not.toMatch(/carol-hidden|^bcc:/im);
    const parsed = await PostalMime.parse(message);
    expect(parsed.subject).toBe('Hello ☃');
    expect(parsed.messageId).toBe(`<${answer.messageId}>`);
    expect(parsed.from).toMatchObject({ name: 'No Reply', address: 'noreply@example.com' });
    expect(parsed.replyTo?.[0]).toMatchObject({ address: 'noreply@example.com' });
    expect(parsed.cc?.map((a) => ('address' in a ? a.address : ''))).toEqual([
      'bob@example.net',
      'ALICE@example.net',
    ]);
    expect(parsed.text).toBe('plain body\n');
    expect(parsed.html).toBe('<p>html body</p>\n');
    expect(parsed.headers.find((h) => h.key === 'x-campaign')?.value).toBe('test-1');

    const accepted = service.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.event === 'email.accepted' && entry.messageId === answer.messageId);
    expect(accepted.map((e) => e.recipient)).toEqual([
      'alice@example.net',
      'bob@example.net',
      'carol-hidden@example.net',
    ]);
    expect(accepted[0]).toMatchObject({ action: 'accepted', sender: 'noreply@example.com', region: PHX });
    expect(service.logs.join('\n')).not.toContain('html body');
    client.close();
  });

  it('reports a suppressed recipient, writes it SUPPRESSED and touches the suppression', async () => {
    const control = controlClient(service);
    const suppression = await suppress(service, 'Gone@Example.net');
    const client = dataClient(service);
    const { emailSubmittedResponse: answer } = await client.submitEmail({
      submitEmailDetails: details({
        recipients: { to: [{ email: 'gone@example.net', name: 'Gone' }, { email: 'here@example.net' }] },
      }),
    });
    expect(answer.suppressedRecipients).toEqual([{ email: 'gone@example.net', name: 'Gone' }]);
    const rows = (await mailTables(service)).deliveries.filter((d) => d.submission_id === answer.envelopeId);
    expect(rows.find((r) => r.recipient === 'gone@example.net')).toMatchObject({
      state: 'SUPPRESSED',
      next_attempt_at: null,
    });
    expect(rows.find((r) => r.recipient === 'here@example.net')?.state).not.toBe('SUPPRESSED');
    const after = await control.getSuppression({ suppressionId: suppression.id });
    // The SDK types timestamps as Date, but passes the JSON strings through untouched.
    const stamp = (value: unknown): number => Date.parse(String(value));
    expect(stamp(after.suppression.timeLastSuppressed)).toBeGreaterThan(
      stamp(suppression.timeLastSuppressed),
    );
    const logged = service.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((e) => e.messageId === answer.messageId && e.recipient === 'gone@example.net');
    expect(logged).toMatchObject({ action: 'accepted', errorType: 'Recipient suppressed' });
    control.close();
    client.close();
  });

  it('counts email-blackhole.com recipients as DELIVERED without relaying them', async () => {
    const client = dataClient(service);
    const { emailSubmittedResponse: answer } = await client.submitEmail({
      submitEmailDetails: details({ recipients: { to: [{ email: 'load-1@email-blackhole.com' }] } }),
    });
    const [row] = (await mailTables(service)).deliveries.filter((d) => d.submission_id === answer.envelopeId);
    expect(row).toMatchObject({ state: 'DELIVERED', attempts: 0, next_attempt_at: null });
    expect(row?.last_detail).toMatch(/never relayed/);
    expect(row?.time_final).toBe(row?.time_created);
    client.close();
  });

  it('answers a retry with the same opc-request-id from the first acceptance and writes nothing twice', async () => {
    const client = dataClient(service);
    const request = {
      submitEmailDetails: details({ recipients: { to: [{ email: 'retry@example.net' }] } }),
      opcRequestId: 'RETRY0001EB2C-11F1-9B51-89853C6CC9AE',
    };
    const first = await client.submitEmail(request);
    const before = rowCounts(await mailTables(service));
    const second = await client.submitEmail(request);
    expect(second.emailSubmittedResponse).toEqual(first.emailSubmittedResponse);
    expect(rowCounts(await mailTables(service))).toEqual(before);
    client.close();
  });

  it('treats a reused messageId as the same submission with the same content and refuses other content', async () => {
    const client = dataClient(service);
    const submitEmailDetails = details({ messageId: 'order-42@mail.example.com' });
    const first = await client.submitEmail({ submitEmailDetails });
    expect(first.emailSubmittedResponse.messageId).toBe('order-42@mail.example.com');
    const before = rowCounts(await mailTables(service));
    const again = await client.submitEmail({ submitEmailDetails });
    expect(again.emailSubmittedResponse).toEqual(first.emailSubmittedResponse);
    await expectRefused(
      client.submitEmail({ submitEmailDetails: { ...submitEmailDetails, subject: 'other' }, ...once }),
      409,
      'Conflict',
    );
    expect(rowCounts(await mailTables(service))).toEqual(before);
    client.close();
  });

  it('decides in order however its lookups are read: a refused sender is the one answer and the one log line', async () => {
    const client = dataClient(service);
    await client.submitEmail({ submitEmailDetails: details({ messageId: 'ordered-1@mail.example.com' }) });
    const before = rowCounts(await mailTables(service));
    const logged = service.logs.length;
    const stranger = details({
      messageId: 'ordered-1@mail.example.com',
      subject: 'other content under the same Message-ID',
      sender: { compartmentId: service.admin.tenancyId, senderAddress: { email: 'stranger@example.com' } },
    });
    await expectRefused(
      client.submitEmail({ submitEmailDetails: stranger, ...once }),
      404,
      'NotAuthorizedOrNotFound',
    );
    const lines = service.logs.slice(logged).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((e) => e.event === 'email.rejected').map((e) => e.errorType)).toEqual([
      'Authorization failure',
    ]);
    expect(rowCounts(await mailTables(service))).toEqual(before);
    client.close();
  });

  it('serves each recipient’s state at GET /messages/{messageId}', async () => {
    await suppress(service, 'state-gone@example.net');
    const client = dataClient(service);
    const { emailSubmittedResponse: answer } = await client.submitEmail({
      submitEmailDetails: details({
        messageId: 'state-1@mail.example.com',
        recipients: { to: [{ email: 'state-gone@example.net' }, { email: 'x@email-blackhole.com' }] },
      }),
    });
    const response = await signedFetch(
      adminPrincipal(),
      'GET',
      `${service.server.url}/${PHX}/20220926/messages/${encodeURIComponent(answer.messageId)}`,
    );
    expect(response.status).toBe(200);
    const state = (await response.json()) as { envelopeId: string; recipients: Record<string, unknown>[] };
    expect(state.envelopeId).toBe(answer.envelopeId);
    expect(state.recipients).toEqual([
      expect.objectContaining({ recipient: 'state-gone@example.net', state: 'SUPPRESSED', attempts: 0 }),
      expect.objectContaining({
        recipient: 'x@email-blackhole.com',
        state: 'DELIVERED',
        nextAttemptAt: null,
      }),
    ]);
    expect(state.recipients[1]?.lastSmtpReply).toMatchObject({
      code: null,
      detail: expect.stringMatching(/never relayed/),
    });
    const missing = await signedFetch(
      adminPrincipal(),
      'GET',
      `${service.server.url}/${PHX}/20220926/messages/nope@x.y`,
    );
    expect(missing.status).toBe(404);
    client.close();
  });
});

describe('submitRawEmail through oci-emaildataplane', () => {
  it('accepts a string body, keeps its Message-ID, adds a Date and strips Bcc', async () => {
    const raw = [
      'From: No Reply <noreply@example.com>',
      'To: alice@example.net',
      'Bcc: hidden@example.net,',
      ' other-hidden@example.net',
      'Subject: raw',
      'Message-ID: <raw-1@mail.example.com>',
      '',
      'hi',
      '.leading dot',
      '',
    ].join('\r\n');
    const client = dataClient(service);
    const { emailRawSubmittedResponse: answer } = await client.submitRawEmail(
      rawRequest(service, raw, ['alice@example.net', 'hidden@example.net', 'other-hidden@example.net']),
    );
    expect(answer).toMatchObject({ messageId: 'raw-1@mail.example.com', suppressedRecipients: [] });
    const tables = await mailTables(service);
    const message = storedMessage(tables, answer.envelopeId);
    expect(message).not.toMatch(/hidden/);
    // RFC 5321 section 4.4: this hop's trace field first, then the message with the Date it lacked.
    expect(message).toMatch(
      /^Received: from unknown \(\[127\.0\.0\.1\]\)\r\n\tby \S+ \(edge email delivery\) with HTTPS id \w+; .+ \+0000\r\nDate: .+ \+0000\r\n/,
    );
    expect(message).toContain('\r\nhi\r\n.leading dot\r\n');
    expect(tables.deliveries.filter((d) => d.submission_id === answer.envelopeId)).toHaveLength(3);
    client.close();
  });

  it('accepts a Readable body with contentLength as message/global and reports suppressions as strings', async () => {
    await suppress(service, 'raw-gone@example.net');
    const raw = 'From: noreply@example.com\r\nTo: raw-gone@example.net\r\nSubject: grüße\r\n\r\nünïcode\r\n';
    const client = dataClient(service);
    const { emailRawSubmittedResponse: answer } = await client.submitRawEmail({
      ...rawRequest(service, raw, ['raw-gone@example.net', 'raw-ok@example.net']),
      contentType: 'message/global' as never,
      rawMessage: Readable.from([Buffer.from(raw)]),
    });
    expect(answer.suppressedRecipients).toEqual(['raw-gone@example.net']);
    expect(answer.messageId).toMatch(/@example\.com$/);
    const message = storedMessage(await mailTables(service), answer.envelopeId);
    expect(message).toContain(`Message-ID: <${answer.messageId}>`);
    expect(message).toContain('ünïcode');
    client.close();
  });
});
