import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, expect, inject, it } from 'vitest';
import { inInvocation } from '../../../src/compose/worker';
import worker from '../../../src/worker';
import { signRequest, type Principal } from '../../../src/crypto/request-signature';
import { remoteSinks } from '../../support/remote-sinks';
import type { Sink } from '../../support/smtp-sink-protocol';
import { signedFetch, workerAdmin } from '../signed-fetch';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaedgewaituntil';
const sinks = remoteSinks(inject('smtpSinkControl'));
let sink: Sink | undefined;

afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

/** An administrator of TENANCY with waits@example.com approved in PHX. */
async function adminWithSender(): Promise<Principal> {
  const admin = await workerAdmin(TENANCY);
  const created = await signedFetch(admin, 'POST', '/us-phoenix-1/20170907/senders', {
    compartmentId: TENANCY,
    emailAddress: 'waits@example.com',
  });
  expect([200, 409]).toContain(created.status);
  return admin;
}

/** A signed submitEmail from waits@example.com, sent to the Worker in an invocation of its own. */
async function submitInvocation(
  admin: Principal,
  relayEnv: Env & { RELAY_URL: string },
  message: { recipients: object; subject: string; bodyText: string },
): Promise<{ response: Response; ctx: ExecutionContext }> {
  const details = {
    sender: { compartmentId: TENANCY, senderAddress: { email: 'waits@example.com' } },
    ...message,
  };
  const signed = await signRequest(
    admin,
    'POST',
    'http://worker.test/us-phoenix-1/20220926/actions/submitEmail',
    JSON.stringify(details),
    {},
    { now: new Date() },
  );
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(signed.url, signed), relayEnv, ctx);
  return { response, ctx };
}

it('relays a submit’s recipients within the same invocation, through ctx.waitUntil', async () => {
  sink = await sinks.start({ tls: 'implicit' });
  const admin = await adminWithSender();
  const { response, ctx } = await submitInvocation(
    admin,
    { ...env, RELAY_URL: `smtps://127.0.0.1:${sink.port}` },
    {
      recipients: { to: [{ email: 'far@example.net' }], bcc: [{ email: 'hidden@example.net' }] },
      subject: 'sent from the edge at once',
      bodyText: 'No cron needed.',
    },
  );
  expect(response.status).toBe(200);
  const { envelopeId } = await response.json<{ envelopeId: string }>();
  await waitOnExecutionContext(ctx);

  const record = await sink.record();
  expect(record.transactions.map((t) => t.rcptTo).sort()).toEqual([
    ['far@example.net'],
    ['hidden@example.net'],
  ]);
  for (const transaction of record.transactions) expect(transaction.raw).not.toMatch(/^Bcc:|hidden@/im);
  const states = await env.DB_PHX.prepare('SELECT state FROM deliveries WHERE submission_id = ?')
    .bind(envelopeId)
    .all<{ state: string }>();
  expect(states.results.map((row) => row.state)).toEqual(['DELIVERED', 'DELIVERED']);
});

it('keeps one composition per env across invocations, each relaying through its own connection', async () => {
  sink = await sinks.start({ tls: 'implicit' });
  const admin = await adminWithSender();
  const relayEnv = { ...env, RELAY_URL: `smtps://127.0.0.1:${sink.port}` };

  const composed: unknown[] = [];
  for (const n of [1, 2]) {
    const { response, ctx } = await submitInvocation(admin, relayEnv, {
      recipients: { to: [{ email: `invocation-${String(n)}@example.net` }] },
      subject: `invocation ${String(n)}`,
      bodyText: 'Each invocation opens and closes its own relay.',
    });
    expect(response.status).toBe(200);
    await waitOnExecutionContext(ctx);
    composed.push(
      await inInvocation(relayEnv, createExecutionContext(), ({ deps }) => Promise.resolve(deps)),
    );
  }

  // The second invocation relays although the first closed its relay when it ended.
  const record = await sink.record();
  expect(record.transactions.map((t) => t.rcptTo)).toEqual([
    ['invocation-1@example.net'],
    ['invocation-2@example.net'],
  ]);
  expect(composed[0]).toBe(composed[1]);
  const other = await inInvocation({ ...relayEnv }, createExecutionContext(), (deps) =>
    Promise.resolve(deps),
  );
  expect(other).not.toBe(composed[0]);
});
