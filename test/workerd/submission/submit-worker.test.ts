import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../../src/crypto/request-signature';
import { signedFetch, workerAdmin } from '../signed-fetch';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaworkersubmit';
const DATA = '/us-phoenix-1/20220926';

async function countRows(table: string, envelopeId: string, column = 'submission_id'): Promise<number> {
  const row = await env.DB_PHX.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`)
    .bind(envelopeId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe('submission through the Worker against D1', () => {
  it('accepts submitEmail and submitRawEmail in one D1 batch each, and replays a retry', async () => {
    const admin = await workerAdmin(TENANCY);
    const created = await signedFetch(admin, 'POST', '/us-phoenix-1/20170907/senders', {
      compartmentId: TENANCY,
      emailAddress: 'edge@example.com',
    });
    expect([200, 409]).toContain(created.status);
    await signedFetch(admin, 'POST', '/us-phoenix-1/20170907/suppressions', {
      compartmentId: TENANCY,
      emailAddress: 'edge-gone@example.net',
    });

    const details = {
      sender: { compartmentId: TENANCY, senderAddress: { email: 'edge@example.com', name: 'Édge' } },
      recipients: {
        to: [{ email: 'a@email-blackhole.com' }],
        bcc: [{ email: 'edge-gone@example.net' }],
      },
      subject: 'from the edge ☃',
      bodyText: 'x'.repeat(2_000),
    };
    const requestId = `EDGE${String(Date.now())}`;
    const submit = () =>
      signedFetch(admin, 'POST', `${DATA}/actions/submitEmail`, details, { 'opc-request-id': requestId });
    const first = await submit();
    expect(first.status).toBe(200);
    const answer = await first.json<{
      envelopeId: string;
      messageId: string;
      suppressedRecipients: unknown[];
    }>();
    expect(answer.suppressedRecipients).toEqual([{ email: 'edge-gone@example.net' }]);
    expect(await countRows('deliveries', answer.envelopeId)).toBe(2);
    expect(await countRows('submission_parts', answer.envelopeId)).toBe(1);
    const again = await submit();
    expect(await again.json()).toEqual(answer);
    expect(await countRows('submissions', answer.envelopeId, 'id')).toBe(1);
    expect(await countRows('deliveries', answer.envelopeId)).toBe(2);

    const raw = 'From: edge@example.com\r\nBcc: b@email-blackhole.com\r\nSubject: raw\r\n\r\nhi\r\n';
    const signed = await signRequest(
      admin,
      'POST',
      `http://worker.test${DATA}/actions/submitRawEmail`,
      raw,
      {
        'content-type': 'message/rfc822',
        'compartment-id': TENANCY,
        sender: 'edge@example.com',
        recipients: 'b@email-blackhole.com',
      },
      { now: new Date() },
    );
    const rawResponse = await exports.default.fetch(signed.url, signed);
    expect(rawResponse.status).toBe(200);
    const rawAnswer = await rawResponse.json<{ envelopeId: string; suppressedRecipients: string[] }>();
    expect(rawAnswer.suppressedRecipients).toEqual([]);
    const part = await env.DB_PHX.prepare('SELECT data FROM submission_parts WHERE submission_id = ?')
      .bind(rawAnswer.envelopeId)
      .first<{ data: string }>();
    expect(part?.data).not.toMatch(/^Bcc:/im);
    const state = await env.DB_PHX.prepare('SELECT state FROM deliveries WHERE submission_id = ?')
      .bind(rawAnswer.envelopeId)
      .first<{ state: string }>();
    expect(state?.state).toBe('DELIVERED');
  });

  it('refuses an unapproved sender with 404 and writes nothing', async () => {
    const admin = await workerAdmin(TENANCY);
    const response = await signedFetch(admin, 'POST', `${DATA}/actions/submitEmail`, {
      sender: { compartmentId: TENANCY, senderAddress: { email: 'nobody@example.com' } },
      recipients: { to: [{ email: 'a@example.net' }] },
      subject: 'x',
      bodyText: 'x',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NotAuthorizedOrNotFound' });
    const row = await env.DB_PHX.prepare(
      "SELECT count(*) AS n FROM submissions WHERE sender = 'nobody@example.com'",
    ).first<{
      n: number;
    }>();
    expect(row?.n).toBe(0);
  });
});
