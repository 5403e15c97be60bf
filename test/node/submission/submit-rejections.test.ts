import type { models } from 'oci-emaildataplane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeService } from '../identity/node-service';
import {
  approveSender,
  dataClient,
  expectRefused,
  mailTables,
  once,
  rawRequest,
  rowCounts,
  startSubmissionService,
  suppress,
} from './submission-service';

let service: NodeService;
beforeAll(async () => {
  service = await startSubmissionService({
    SUBMIT_MAX_MESSAGE_BYTES: String(64 * 1024),
    SUBMIT_MAX_RECIPIENTS: '5',
  });
  await approveSender(service, 'noreply@example.com');
  await approveSender(service, 'envelope@example.com');
});
afterAll(() => service.stop());

const details = (overrides: Partial<models.SubmitEmailDetails> = {}): models.SubmitEmailDetails => ({
  sender: { compartmentId: service.admin.tenancyId, senderAddress: { email: 'noreply@example.com' } },
  recipients: { to: [{ email: 'alice@example.net' }] },
  subject: 'Hello',
  bodyText: 'plain body',
  ...overrides,
});

const rejections = (errorType: string) =>
  service.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((e) => e.event === 'email.rejected' && e.errorType === errorType);

describe('a refused submission stores nothing and says why', () => {
  const cases: [string, () => models.SubmitEmailDetails, number, string, string][] = [
    [
      'an unapproved sender',
      () =>
        details({
          sender: {
            compartmentId: service.admin.tenancyId,
            senderAddress: { email: 'stranger@example.com' },
          },
        }),
      404,
      'NotAuthorizedOrNotFound',
      'Authorization failure',
    ],
    [
      'an approved sender named in another compartment',
      () =>
        details({
          sender: {
            compartmentId: 'ocid1.compartment.oc1..aaaaaaaanowhere',
            senderAddress: { email: 'noreply@example.com' },
          },
        }),
      404,
      'NotAuthorizedOrNotFound',
      'Authorization failure',
    ],
    [
      'an invalid recipient',
      () => details({ recipients: { to: [{ email: 'not-an-address' }] } }),
      400,
      'InvalidParameter',
      'Invalid recipient',
    ],
    ['no recipient', () => details({ recipients: {} }), 400, 'MissingParameter', 'Invalid recipient'],
    [
      'too many recipients',
      () =>
        details({
          recipients: {
            to: [1, 2, 3],
            cc: [4, 5],
            bcc: [6].map((n) => ({ email: `r${n}@example.net` })),
          } as never,
        }),
      400,
      'InvalidParameter',
      'Invalid recipient',
    ],
    [
      'CR/LF in the subject',
      () => details({ subject: 'Hi\r\nBcc: victim@example.net' }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'LF in a display name',
      () => details({ recipients: { to: [{ email: 'a@example.net', name: 'A\nB' }] } }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'CR in a header field value',
      () => details({ headerFields: { 'X-Tag': 'a\rb' } }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'a reserved header field (Bcc)',
      () => details({ headerFields: { bcc: 'x@example.net' } }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'a reserved header field (List-Unsubscribe)',
      () => details({ headerFields: { 'List-Unsubscribe': '<https://x>' } }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'a reserved header field (Content-Type)',
      () => details({ headerFields: { 'content-type': 'text/plain' } }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'a messageId in angle brackets',
      () => details({ messageId: '<id@example.com>' }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'a messageId without id-right',
      () => details({ messageId: 'just-text' }),
      400,
      'InvalidParameter',
      'Message parse error',
    ],
    [
      'neither bodyText nor bodyHtml',
      () => details({ bodyText: undefined }),
      400,
      'MissingParameter',
      'Message parse error',
    ],
    [
      'a message over the size limit',
      () => details({ bodyText: 'x'.repeat(70 * 1024) }),
      413,
      'PayloadTooLarge',
      'Byte limit exceeded',
    ],
  ];
  // The recipients case above builds its lists oddly on purpose: fix it up into six addresses.
  const six = {
    to: [1, 2, 3].map((n) => ({ email: `r${n}@example.net` })),
    cc: [4, 5].map((n) => ({ email: `r${n}@example.net` })),
    bcc: [{ email: 'r6@example.net' }],
  };

  it.each(cases)('refuses %s', async (_name, build, status, code, errorType) => {
    const client = dataClient(service);
    const submitEmailDetails = _name === 'too many recipients' ? details({ recipients: six }) : build();
    const logged = rejections(errorType).length;
    await expectRefused(client.submitEmail({ submitEmailDetails, ...once }), status, code);
    expect(rowCounts(await mailTables(service))).toEqual({
      submissions: 0,
      parts: 0,
      deliveries: 0,
      quota: 0,
    });
    expect(rejections(errorType).length).toBeGreaterThan(logged);
    client.close();
  });

  it('refuses a body larger than the limit by its Content-Length, before reading it', async () => {
    const client = dataClient(service);
    const raw = `From: noreply@example.com\r\nSubject: big\r\n\r\n${'y'.repeat(70 * 1024)}\r\n`;
    await expectRefused(
      client.submitRawEmail(rawRequest(service, raw, ['a@example.net'])),
      413,
      'PayloadTooLarge',
    );
    expect(rowCounts(await mailTables(service)).submissions).toBe(0);
    client.close();
  });

  const raws: [string, string, Partial<ReturnType<typeof rawRequest>>, number, string][] = [
    [
      'a From that is not an approved sender',
      'From: stranger@example.com\r\nSubject: x\r\n\r\nx\r\n',
      {},
      404,
      'NotAuthorizedOrNotFound',
    ],
    [
      'an envelope sender that is not approved',
      'From: noreply@example.com\r\nSubject: x\r\n\r\nx\r\n',
      { sender: 'stranger@example.com' },
      404,
      'NotAuthorizedOrNotFound',
    ],
    ['a message without From', 'Subject: x\r\n\r\nx\r\n', {}, 400, 'InvalidParameter'],
    [
      'a message with two From addresses',
      'From: noreply@example.com, envelope@example.com\r\n\r\nx\r\n',
      {},
      400,
      'InvalidParameter',
    ],
    ['a message without a header', '\r\nx\r\n', {}, 400, 'InvalidParameter'],
    [
      'a line over 998 octets',
      `From: noreply@example.com\r\n\r\n${'z'.repeat(1_000)}\r\n`,
      {},
      400,
      'InvalidParameter',
    ],
    [
      'a bracket-less Message-ID that is not one',
      'From: noreply@example.com\r\nMessage-ID: <nope>\r\n\r\nx\r\n',
      {},
      400,
      'InvalidParameter',
    ],
    [
      'an invalid recipient header',
      'From: noreply@example.com\r\n\r\nx\r\n',
      { recipients: ['ok@example.net', 'bad address'] },
      400,
      'InvalidParameter',
    ],
    [
      'a content type other than message/rfc822 or message/global',
      'From: noreply@example.com\r\n\r\nx\r\n',
      { contentType: 'text/plain' as never },
      400,
      'InvalidParameter',
    ],
  ];

  it.each(raws)('refuses raw mail with %s', async (_name, raw, overrides, status, code) => {
    const client = dataClient(service);
    await expectRefused(
      client.submitRawEmail({ ...rawRequest(service, raw, ['a@example.net']), ...overrides }),
      status,
      code,
    );
    expect(rowCounts(await mailTables(service))).toEqual({
      submissions: 0,
      parts: 0,
      deliveries: 0,
      quota: 0,
    });
    client.close();
  });

  it('accepts raw mail whose header From and envelope sender differ when both are approved', async () => {
    const client = dataClient(service);
    const raw = 'From: noreply@example.com\r\nSubject: x\r\n\r\nx\r\n';
    const { emailRawSubmittedResponse } = await client.submitRawEmail(
      rawRequest(service, raw, ['ok@email-blackhole.com'], 'envelope@example.com'),
    );
    expect(emailRawSubmittedResponse.envelopeId).toBeTruthy();
    client.close();
  });
});

describe('sending quotas (per tenancy, per region, counted in recipients)', () => {
  it('answers 429 TooManyRequests once the minute’s quota is used, and still replays an accepted retry', async () => {
    const limited = await startSubmissionService({ QUOTA_EMAILS_PER_MINUTE: '3' });
    try {
      await approveSender(limited, 'noreply@example.com');
      await suppress(limited, 'gone@example.net');
      const client = dataClient(limited);
      const submitEmailDetails = {
        sender: { compartmentId: limited.admin.tenancyId, senderAddress: { email: 'noreply@example.com' } },
        recipients: {
          to: [{ email: 'a@example.net' }, { email: 'b@email-blackhole.com' }, { email: 'gone@example.net' }],
        },
        subject: 'quota',
        bodyText: 'x',
      };
      const first = await client.submitEmail({ submitEmailDetails, opcRequestId: 'QUOTA1', ...once });
      expect(first.emailSubmittedResponse.suppressedRecipients).toHaveLength(1);
      const before = rowCounts(await mailTables(limited));
      await expectRefused(
        client.submitEmail({ submitEmailDetails: { ...submitEmailDetails, subject: 'more' }, ...once }),
        429,
        'TooManyRequests',
      );
      expect(rowCounts(await mailTables(limited))).toEqual(before);
      const retry = await client.submitEmail({ submitEmailDetails, opcRequestId: 'QUOTA1', ...once });
      expect(retry.emailSubmittedResponse).toEqual(first.emailSubmittedResponse);
      const quota = (await mailTables(limited)).quota;
      expect(quota.map((q) => [q.window, q.used]).sort()).toEqual([
        ['day', 2],
        ['minute', 2],
      ]);
      const logged = limited.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.some((e) => e.errorType === 'Sender Rate Limit reached')).toBe(true);
      client.close();
    } finally {
      await limited.stop();
    }
  });

  it('answers 429 TooManyRequests once the day’s quota is used', async () => {
    const limited = await startSubmissionService({ QUOTA_EMAILS_PER_DAY: '2' });
    try {
      await approveSender(limited, 'noreply@example.com');
      const client = dataClient(limited);
      const send = (to: string) =>
        client.submitEmail({
          submitEmailDetails: {
            sender: {
              compartmentId: limited.admin.tenancyId,
              senderAddress: { email: 'noreply@example.com' },
            },
            recipients: { to: [{ email: to }] },
            subject: to,
            bodyText: 'x',
          },
          ...once,
        });
      const tooMany = client.submitEmail({
        submitEmailDetails: {
          sender: { compartmentId: limited.admin.tenancyId, senderAddress: { email: 'noreply@example.com' } },
          recipients: { to: ['a', 'b', 'c'].map((n) => ({ email: `${n}@example.net` })) },
          subject: 'larger than the whole day',
          bodyText: 'x',
        },
        ...once,
      });
      await expectRefused(tooMany, 429, 'TooManyRequests');
      expect(rowCounts(await mailTables(limited)).submissions).toBe(0);
      await send('one@example.net');
      await send('two@example.net');
      await expectRefused(send('three@example.net'), 429, 'TooManyRequests');
      const logged = limited.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.some((e) => e.errorType === 'Daily Limit reached')).toBe(true);
      client.close();
    } finally {
      await limited.stop();
    }
  });
});
