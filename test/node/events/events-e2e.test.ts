import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CA } from '../../support/smtp-sink';
import type { Sink } from '../../support/smtp-sink-protocol';
import { scriptedSink } from '../delivery/delivery-world';
import {
  eventually,
  FROM,
  rawFrom,
  startDeliveryService,
  submitRaw,
  type NodeDeliveryService,
} from '../delivery/node-support';

const FEEDBACK_SECRET = 'an-events-feedback-secret-of-32-chars!';
const PHX = 'us-phoenix-1';
const EVENTS = `/${PHX}/20220926/deliveryEvents`;

interface WireEvent {
  id: string;
  eventType: string;
  logType: string;
  action: string;
  compartmentId: string;
  messageId: string;
  sender: string;
  recipient: string;
  receivingDomain: string;
  smtpStatus?: string;
  enhancedStatusCode?: string;
  errorType?: string;
  relayHost?: string;
  attempt?: number;
  latencyInMs?: number;
  timeCreated: string;
}

let sink: Sink;
let service: NodeDeliveryService;
let messageId: string;

async function events(query = ''): Promise<WireEvent[]> {
  const tenancy = service.admin.tenancyId;
  const response = await service.call('GET', `${EVENTS}?compartmentId=${tenancy}${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as WireEvent[];
}

const typesOf = (list: WireEvent[], recipient: string) =>
  list
    .filter((event) => event.recipient === recipient)
    .map((event) => event.eventType)
    .reverse();

beforeAll(async () => {
  sink = await scriptedSink({
    'gone@example.net': { at: 'rcpt', reply: 550, text: '5.1.1 <gone@example.net>: user unknown' },
    'later@example.net': { at: 'rcpt', reply: 451, text: '4.3.0 try again later' },
  });
  service = await startDeliveryService(
    {
      RELAY_URL: `smtps://127.0.0.1:${sink.port}`,
      PUBLIC_BASE_URL: 'https://mail.example.test',
      FEEDBACK_SECRET,
    },
    { relayCa: TEST_CA },
  );
  const tenancy = service.admin.tenancyId;
  expect(
    (await service.call('POST', `/${PHX}/20170907/senders`, { compartmentId: tenancy, emailAddress: FROM }))
      .status,
  ).toBe(200);
  expect(
    (
      await service.call('POST', `/${PHX}/20170907/suppressions`, {
        compartmentId: tenancy,
        emailAddress: 'blocked@example.net',
      })
    ).status,
  ).toBe(200);
  const recipients = [
    'ok@example.net',
    'gone@example.net',
    'later@example.net',
    'blocked@example.net',
    'complaint@email-blackhole.com',
    'quiet@email-blackhole.com',
  ];
  const response = await submitRaw(
    service.server.url,
    service.admin,
    rawFrom('events', 'ok@example.net'),
    recipients,
  );
  expect(response.status).toBe(200);
  ({ messageId } = (await response.json()) as { messageId: string });
  await eventually(async () => {
    const list = await events();
    const done = ['ok@example.net', 'gone@example.net', 'complaint@email-blackhole.com'].every(
      (recipient) => typesOf(list, recipient).length >= 2,
    );
    return done && typesOf(list, 'later@example.net').includes('DEFERRED') ? list : undefined;
  });
});
afterAll(async () => {
  await service.stop();
  await sink.close();
});

describe('the delivery event log (real Node entry, TLS sink)', () => {
  it('records one event per thing that happened to each copy, shaped like OCI log records', async () => {
    const list = await events();
    expect(typesOf(list, 'ok@example.net')).toEqual(['ACCEPTED', 'RELAYED']);
    expect(typesOf(list, 'gone@example.net')).toEqual(['ACCEPTED', 'BOUNCED']);
    expect(typesOf(list, 'later@example.net')).toEqual(['ACCEPTED', 'DEFERRED']);
    expect(typesOf(list, 'blocked@example.net')).toEqual(['SUPPRESSED']);
    expect(typesOf(list, 'complaint@email-blackhole.com')).toEqual(['ACCEPTED', 'RELAYED', 'COMPLAINED']);
    expect(typesOf(list, 'quiet@email-blackhole.com')).toEqual(['ACCEPTED', 'RELAYED']);

    const relayed = list.find((e) => e.recipient === 'ok@example.net' && e.eventType === 'RELAYED')!;
    expect(relayed).toMatchObject({
      logType: 'outboundRelayed',
      action: 'relay',
      compartmentId: service.admin.tenancyId,
      messageId,
      sender: FROM,
      receivingDomain: 'example.net',
      relayHost: '127.0.0.1',
      attempt: 1,
    });
    expect(relayed.smtpStatus).toMatch(/^250 /);
    expect(relayed.latencyInMs).toBeGreaterThanOrEqual(0);
    const bounced = list.find((e) => e.recipient === 'gone@example.net' && e.eventType === 'BOUNCED')!;
    expect(bounced).toMatchObject({
      action: 'bounce',
      smtpStatus: '550 5.1.1 <gone@example.net>: user unknown',
      enhancedStatusCode: '5.1.1',
    });
    const deferred = list.find((e) => e.recipient === 'later@example.net' && e.eventType === 'DEFERRED')!;
    expect(deferred).toMatchObject({ action: 'defer', enhancedStatusCode: '4.3.0', attempt: 1 });
    const suppressed = list.find((e) => e.recipient === 'blocked@example.net')!;
    expect(suppressed).toMatchObject({
      logType: 'outboundAccepted',
      action: 'accept',
      errorType: 'Recipient suppressed',
    });
    const complained = list.find((e) => e.eventType === 'COMPLAINED')!;
    expect(complained).toMatchObject({ relayHost: 'email-blackhole.com', sender: FROM, messageId });
    // Newest first: each list is ordered by time, then id, descending.
    const times = list.map((e) => e.timeCreated);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('records an unsubscribe through the one-click link and a bounce reported by DSN', async () => {
    const copy = (await sink.record()).transactions.find((t) => t.rcptTo[0] === 'ok@example.net')!;
    const link = /^List-Unsubscribe: <([^>]+)>/im.exec(copy.raw)![1]!;
    const path = new URL(link).pathname;
    const unsubscribed = await fetch(`${service.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);

    const dsn = [
      'From: MAILER-DAEMON@relay.example.net',
      `To: ${FROM}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
      '',
      '--B1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.example.net',
      '',
      'Final-Recipient: rfc822; quiet@email-blackhole.com',
      'Action: failed',
      'Status: 5.2.1',
      'Remote-MTA: dns; mx.example.org',
      'Diagnostic-Code: smtp; 550 5.2.1 mailbox disabled',
      '',
      '--B1',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${messageId}>`,
      '',
      '--B1--',
      '',
    ].join('\r\n');
    const reported = await fetch(`${service.server.url}/${PHX}/20220926/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FEEDBACK_SECRET}`, 'content-type': 'message/rfc822' },
      body: dsn,
    });
    expect(reported.status).toBe(202);

    const list = await events();
    expect(typesOf(list, 'ok@example.net')).toEqual(['ACCEPTED', 'RELAYED', 'UNSUBSCRIBED']);
    expect(typesOf(list, 'quiet@email-blackhole.com')).toEqual(['ACCEPTED', 'RELAYED', 'BOUNCED']);
    const bounce = list.find(
      (e) => e.recipient === 'quiet@email-blackhole.com' && e.eventType === 'BOUNCED',
    )!;
    expect(bounce).toMatchObject({
      sender: FROM,
      compartmentId: service.admin.tenancyId,
      relayHost: 'mx.example.org',
    });
  });

  it('filters by event type, recipient, sender, message id and time, and pages newest first', async () => {
    expect((await events('&eventType=BOUNCED')).map((e) => e.recipient).sort()).toEqual([
      'gone@example.net',
      'quiet@email-blackhole.com',
    ]);
    expect((await events('&recipient=OK@example.net')).map((e) => e.eventType)).toEqual([
      'UNSUBSCRIBED',
      'RELAYED',
      'ACCEPTED',
    ]);
    expect(await events('&sender=nobody@example.com')).toEqual([]);
    expect(await events(`&messageId=${encodeURIComponent('other@example.com')}`)).toEqual([]);
    const all = await events(`&messageId=${encodeURIComponent(messageId)}`);
    expect(all.length).toBeGreaterThanOrEqual(14);
    expect(await events('&timeLessThan=2020-01-01T00:00:00Z')).toEqual([]);

    const tenancy = service.admin.tenancyId;
    const seen: WireEvent[] = [];
    let page: string | null = null;
    do {
      const query = `${EVENTS}?compartmentId=${tenancy}&limit=4${page ? `&page=${encodeURIComponent(page)}` : ''}`;
      const response = await service.call('GET', query);
      expect(response.status).toBe(200);
      seen.push(...((await response.json()) as WireEvent[]));
      page = response.headers.get('opc-next-page');
    } while (page);
    expect(seen.map((e) => e.id)).toEqual((await events()).map((e) => e.id));
  });

  it('answers the aggregate per minute and hour, counts agreeing with the log', async () => {
    const list = await events();
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const end = new Date(Date.now() + 60_000).toISOString();
    const tenancy = service.admin.tenancyId;
    for (const interval of ['PT1M', 'PT1H']) {
      const response = await service.call(
        'GET',
        `/${PHX}/20220926/deliveryMetrics?compartmentId=${tenancy}&interval=${interval}&timeStart=${start}&timeEnd=${end}`,
      );
      expect(response.status).toBe(200);
      const { items } = (await response.json()) as {
        items: { counts: Record<string, number>; relayLatency: { count: number } }[];
      };
      const totals: Record<string, number> = {};
      for (const bucket of items) {
        for (const [type, count] of Object.entries(bucket.counts)) totals[type] = (totals[type] ?? 0) + count;
      }
      const expected: Record<string, number> = {};
      for (const event of list) expected[event.eventType] = (expected[event.eventType] ?? 0) + 1;
      expect(totals).toEqual(expected);
      expect(items.reduce((sum, bucket) => sum + bucket.relayLatency.count, 0)).toBe(expected.RELAYED);
    }
    const tooLong = await service.call(
      'GET',
      `/${PHX}/20220926/deliveryMetrics?compartmentId=${tenancy}&interval=PT1M&timeStart=2020-01-01T00:00:00Z&timeEnd=${end}`,
    );
    expect(tooLong.status).toBe(400);
  });

  it('serves Prometheus text behind its token, with counts equal to the event log', async () => {
    expect((await fetch(`${service.server.url}/metrics`)).status).toBe(401);
    const token = readFileSync(join(service.dataDir, 'secrets', 'metrics-token'), 'utf8').trim();
    const response = await fetch(`${service.server.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const families = parsePrometheusTextFormat(await response.text());
    const counter = families.find((f) => f.name === 'email_delivery_events_total')!;
    const counted: Record<string, number> = {};
    for (const metric of counter.metrics as { labels: Record<string, string>; value: string }[]) {
      counted[metric.labels.event_type!] = Number(metric.value);
    }
    const expected: Record<string, number> = {};
    for (const event of await events()) expected[event.eventType] = (expected[event.eventType] ?? 0) + 1;
    expect(counted).toEqual(expected);
    const histogram = families.find((f) => f.name === 'email_relay_latency_seconds')!;
    const [series] = histogram.metrics as { buckets: Record<string, string> }[];
    expect(Number(series!.buckets['+Inf'])).toBe(expected.RELAYED);
  });
});
