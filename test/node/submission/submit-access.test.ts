import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../../support/api';
import { createWorld } from '../../support/world';
import type { NodeService } from '../identity/node-service';
import {
  approveSender,
  dataClient,
  expectRefused,
  IAD,
  identityOf,
  mailTables,
  once,
  PHX,
  rowCounts,
  startSubmissionService,
  suppress,
  userWith,
} from './submission-service';

let service: NodeService;
beforeAll(async () => {
  service = await startSubmissionService();
});
afterAll(() => service.stop());

const mail = (from: string, to: string, compartmentId = service.admin.tenancyId) => ({
  submitEmailDetails: {
    sender: { compartmentId, senderAddress: { email: from } },
    recipients: { to: [{ email: to }] },
    subject: 'isolation',
    bodyText: 'x',
  },
  ...once,
});

describe('regions are isolated', () => {
  it('refuses in IAD a sender approved only in PHX, and applies only the region’s own suppressions', async () => {
    await approveSender(service, 'phx-only@example.com', PHX);
    await expectRefused(
      dataClient(service, IAD).submitEmail(mail('phx-only@example.com', 'a@example.net')),
      404,
      'NotAuthorizedOrNotFound',
    );
    expect(rowCounts(await mailTables(service, IAD)).submissions).toBe(0);

    await approveSender(service, 'both@example.com', PHX);
    await approveSender(service, 'both@example.com', IAD);
    await suppress(service, 'iad-suppressed@example.net', IAD);
    const inPhx = await dataClient(service, PHX).submitEmail(
      mail('both@example.com', 'iad-suppressed@example.net'),
    );
    expect(inPhx.emailSubmittedResponse.suppressedRecipients).toEqual([]);
    const inIad = await dataClient(service, IAD).submitEmail(
      mail('both@example.com', 'iad-suppressed@example.net'),
    );
    expect(inIad.emailSubmittedResponse.suppressedRecipients).toEqual([
      { email: 'iad-suppressed@example.net' },
    ]);
  });
});

describe('policies decide who may send as which sender', () => {
  it('lets `use approved-senders in compartment A` send from A’s senders and not from B’s', async () => {
    const identity = identityOf(service);
    const tenancy = service.admin.tenancyId;
    const { compartment: a } = await identity.createCompartment({
      createCompartmentDetails: { compartmentId: tenancy, name: 'mail-a', description: 'A' },
    });
    const { compartment: b } = await identity.createCompartment({
      createCompartmentDetails: { compartmentId: tenancy, name: 'mail-b', description: 'B' },
    });
    identity.close();
    await approveSender(service, 'in-a@example.com', PHX, a.id);
    await approveSender(service, 'in-b@example.com', PHX, b.id);
    const user = await userWith(service, 'mailer-a', [
      'Allow group $GROUP to use approved-senders in compartment mail-a',
    ]);
    const client = dataClient(service, PHX, user);

    const sent = await client.submitEmail(mail('in-a@example.com', 'x@email-blackhole.com', a.id));
    expect(sent.emailSubmittedResponse.envelopeId).toBeTruthy();
    const before = rowCounts(await mailTables(service));
    await expectRefused(
      client.submitEmail(mail('in-b@example.com', 'x@email-blackhole.com', b.id)),
      404,
      'NotAuthorizedOrNotFound',
    );
    expect(rowCounts(await mailTables(service))).toEqual(before);
    const logged = service.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      logged.some((e) => e.errorType === 'Authorization failure' && e.sender === 'in-b@example.com'),
    ).toBe(true);
    client.close();
  });
});

describe('host form', () => {
  it('serves the data plane at cell0.submit.email.<region>.<BASE_DOMAIN>/20220926', async () => {
    const world = createWorld({ BASE_DOMAIN: 'mail.example.net' });
    try {
      await world.request('POST', `/${PHX}/20170907/senders`, {
        compartmentId: (await world.admin()).tenancyId,
        emailAddress: 'host@example.com',
      });
      const response = await world.request(
        'POST',
        `http://cell0.submit.email.${PHX}.mail.example.net/20220926/actions/submitEmail`,
        {
          sender: {
            compartmentId: (await world.admin()).tenancyId,
            senderAddress: { email: 'host@example.com' },
          },
          recipients: { to: [{ email: 'a@example.net' }] },
          subject: 'host form',
          bodyText: 'x',
        },
      );
      expect(response.status).toBe(200);
      const answer = await json<{ messageId: string; envelopeId: string }>(response);
      expect(answer.messageId).toMatch(/@example\.com$/);
      const state = await world.request(
        'GET',
        `http://cell0.submit.email.${PHX}.mail.example.net/20220926/messages/${encodeURIComponent(answer.messageId)}`,
      );
      expect(await json<{ recipients: { state: string; nextAttemptAt: string }[] }>(state)).toMatchObject({
        recipients: [{ state: 'QUEUED', nextAttemptAt: '2026-01-02T03:04:05.678Z' }],
      });
    } finally {
      world.close();
    }
  });
});
