import { describe, expect, it } from 'vitest';
import type { Relay, RelayMessage } from '../../src/domain/ports';
import type { RelayTimeouts } from '../../src/relay/relay-limits';
import { parseRelayUrl, type RelayEndpoint } from '../../src/relay/relay-url';
import type { Sink, SinkFactory, SinkOptions } from '../support/smtp-sink-protocol';
import { cleanupAfterEach } from '../support/cleanup';

export interface RelayContractSubject {
  makeRelay(endpoint: RelayEndpoint, timeouts: Partial<RelayTimeouts>): Relay;
  sinks: SinkFactory;
}

// An OCI-style user name and a password with characters a URL must percent-encode.
const USER = 'ocid1.user.oc1..relay@ocid1.tenancy.oc1..contract.com';
const PASS = 'p@ss:w/rd+%9';
const FROM = 'sender@example.test';
const TO = 'visible@example.test';
const TEST_TIMEOUTS: Partial<RelayTimeouts> = { connectMs: 5_000, greetingMs: 5_000, replyMs: 5_000 };
const STALL_TIMEOUT_MS = 500;

const RAW = [
  'From: Sender <sender@example.test>',
  'To: Visible <visible@example.test>',
  'Subject: =?UTF-8?Q?caf=C3=A9?=',
  'Date: Fri, 02 Jan 2026 03:04:05 +0000',
  'Message-ID: <contract@example.test>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Café, naïve.',
  '.a line that starts with a dot',
  '..and one that starts with two',
  '',
].join('\r\n');

const message = (to = TO, raw = RAW): RelayMessage => ({ from: FROM, to, raw });

function relayUrl(sink: Sink, tls: 'implicit' | 'starttls', withAuth: boolean): RelayEndpoint {
  const scheme = tls === 'implicit' ? 'smtps' : 'smtp';
  const credentials = withAuth ? `${encodeURIComponent(USER)}:${encodeURIComponent(PASS)}@` : '';
  const parsed = parseRelayUrl(`${scheme}://${credentials}${sink.host}:${sink.port}`);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.endpoint;
}

/** Registers the Relay port's contract against one adapter; each test starts its own sink. */
export function describeRelayContract(name: string, subject: RelayContractSubject): void {
  describe(`Relay contract: ${name}`, () => {
    const cleanup = cleanupAfterEach();

    async function world(
      options: SinkOptions,
      { auth = true, timeouts = TEST_TIMEOUTS }: { auth?: boolean; timeouts?: Partial<RelayTimeouts> } = {},
    ): Promise<{ sink: Sink; relay: Relay }> {
      const sink = await subject.sinks.start(options);
      cleanup.push(() => sink.close());
      const tls = options.tls === 'implicit' ? 'implicit' : 'starttls';
      const relay = subject.makeRelay(relayUrl(sink, tls, auth), timeouts);
      cleanup.push(() => relay.close());
      return { sink, relay };
    }

    const authenticated: SinkOptions['auth'] = {
      methods: ['PLAIN', 'LOGIN'],
      username: USER,
      password: PASS,
    };

    it('relays over STARTTLS with AUTH PLAIN and reports the 250', async () => {
      const { sink, relay } = await world({
        tls: 'starttls',
        auth: { ...authenticated, methods: ['PLAIN'] },
      });
      const outcome = await relay.send(message());
      expect(outcome).toEqual({ kind: 'sent', code: 250, enhanced: '2.0.0', detail: '250 2.0.0 Ok: queued' });
      const record = await sink.record();
      expect(record.auth).toEqual([
        expect.objectContaining({ method: 'PLAIN', username: USER, accepted: true }),
      ]);
      expect(record.auth[0]?.secure).toBe(true);
      expect(record.transactions).toEqual([
        expect.objectContaining({ secure: true, mailFrom: FROM, rcptTo: [TO], raw: RAW }),
      ]);
    });

    it('relays over implicit TLS with AUTH LOGIN', async () => {
      const { sink, relay } = await world({
        tls: 'implicit',
        auth: { ...authenticated, methods: ['LOGIN'] },
      });
      expect((await relay.send(message())).kind).toBe('sent');
      const record = await sink.record();
      expect(record.auth).toEqual([
        expect.objectContaining({ method: 'LOGIN', accepted: true, secure: true }),
      ]);
      expect(record.transactions.map((t) => t.raw)).toEqual([RAW]);
    });

    it("sends the caller's bytes: no header added, a Bcc recipient only in the envelope", async () => {
      const { sink, relay } = await world({ tls: 'starttls', auth: authenticated });
      const hidden = 'hidden@example.test';
      expect((await relay.send(message(hidden))).kind).toBe('sent');
      const [received] = (await sink.record()).transactions;
      expect(received?.rcptTo).toEqual([hidden]);
      expect(received?.raw).toBe(RAW);
      expect(received?.raw).not.toMatch(/^bcc:/im);
    });

    it('turns bare LF and CR into CRLF, so a lone "\\n.\\n" cannot end the data early', async () => {
      const { sink, relay } = await world({ tls: 'starttls', auth: authenticated });
      const smuggling = 'Subject: x\n\nbody\n.\nMAIL FROM:<evil@example.test>\rend';
      expect((await relay.send(message(TO, smuggling))).kind).toBe('sent');
      const record = await sink.record();
      expect(record.transactions).toHaveLength(1);
      expect(record.transactions[0]?.raw).toBe(
        'Subject: x\r\n\r\nbody\r\n.\r\nMAIL FROM:<evil@example.test>\r\nend\r\n',
      );
    });

    it('sends one transaction per recipient and reuses the connection', async () => {
      const { sink, relay } = await world({ tls: 'starttls', auth: authenticated });
      const recipients = ['one@example.test', 'two@example.test', 'three@example.test'];
      for (const to of recipients) expect((await relay.send(message(to))).kind).toBe('sent');
      const record = await sink.record();
      expect(record.connections).toBe(1);
      expect(record.auth).toHaveLength(1);
      expect(record.transactions.map((t) => t.rcptTo)).toEqual(recipients.map((to) => [to]));
      expect(new Set(record.transactions.map((t) => t.session)).size).toBe(1);
    });

    it('sends concurrent messages over a bounded pool', async () => {
      const { sink, relay } = await world({ tls: 'starttls', auth: authenticated });
      const recipients = Array.from({ length: 8 }, (_, i) => `r${i}@example.test`);
      const outcomes = await Promise.all(recipients.map((to) => relay.send(message(to))));
      expect(outcomes.map((o) => o.kind)).toEqual(recipients.map(() => 'sent'));
      const record = await sink.record();
      expect(record.connections).toBeGreaterThanOrEqual(1);
      expect(record.connections).toBeLessThanOrEqual(3);
      expect(record.transactions.map((t) => t.rcptTo[0]).sort()).toEqual([...recipients].sort());
      expect(record.transactions.every((t) => t.rcptTo.length === 1)).toBe(true);
    });

    const rejections = [
      {
        at: 'rcpt',
        reply: 451,
        text: '4.7.1 Greylisted, try again later',
        kind: 'transient',
        enhanced: '4.7.1',
      },
      {
        at: 'data',
        reply: 452,
        text: '4.3.1 Insufficient system storage',
        kind: 'transient',
        enhanced: '4.3.1',
      },
      { at: 'rcpt', reply: 550, text: '5.1.1 No such user here', kind: 'permanent', enhanced: '5.1.1' },
      { at: 'data', reply: 552, text: '5.3.4 Message too big', kind: 'permanent', enhanced: '5.3.4' },
    ] as const;
    for (const { at, reply, text, kind, enhanced } of rejections) {
      it(`reports ${reply} at ${at.toUpperCase()} as ${kind}, code and enhanced code included`, async () => {
        const rejected = `rejected-${reply}@example.test`;
        const { sink, relay } = await world({
          tls: 'starttls',
          auth: authenticated,
          script: { [rejected]: { at, reply, text } },
        });
        expect(await relay.send(message(rejected))).toEqual({
          kind,
          code: reply,
          enhanced,
          detail: `${reply} ${text}`,
        });
        expect((await relay.send(message())).kind).toBe('sent');
        expect((await sink.record()).transactions.map((t) => t.rcptTo)).toEqual([[TO]]);
      });
    }

    it('reports a refused connection as transient without a code', async () => {
      const port = await subject.sinks.closedPort();
      const parsed = parseRelayUrl(`smtps://127.0.0.1:${port}`);
      if (!parsed.ok) throw new Error(parsed.problem);
      const relay = subject.makeRelay(parsed.endpoint, TEST_TIMEOUTS);
      cleanup.push(() => relay.close());
      const outcome = await relay.send(message());
      expect(outcome).toMatchObject({ kind: 'transient', code: undefined, enhanced: undefined });
      expect(outcome.detail).not.toBe('');
    });

    it('reports a connection dropped mid-DATA as transient, then recovers on a new connection', async () => {
      const dropped = 'dropped@example.test';
      const { sink, relay } = await world({
        tls: 'starttls',
        auth: authenticated,
        script: { [dropped]: { at: 'data', action: 'drop' } },
      });
      expect(await relay.send(message(dropped))).toMatchObject({ kind: 'transient', code: undefined });
      expect((await relay.send(message())).kind).toBe('sent');
      const record = await sink.record();
      expect(record.transactions.map((t) => t.rcptTo)).toEqual([[TO]]);
      expect(record.connections).toBe(2);
    });

    for (const at of ['rcpt', 'data'] as const) {
      it(`gives up on a server that stalls at ${at.toUpperCase()}: transient, after the reply timeout`, async () => {
        const stalled = `stalled-${at}@example.test`;
        const { relay } = await world(
          { tls: 'starttls', auth: authenticated, script: { [stalled]: { at, action: 'stall' } } },
          { timeouts: { ...TEST_TIMEOUTS, replyMs: STALL_TIMEOUT_MS } },
        );
        const started = Date.now();
        const outcome = await relay.send(message(stalled));
        expect(outcome).toMatchObject({ kind: 'transient', code: undefined });
        expect(outcome.detail).toMatch(/timeout|timed out/i);
        expect(Date.now() - started).toBeLessThan(STALL_TIMEOUT_MS * 10);
      });
    }

    it('reports rejected credentials as permanent and never repeats them in the detail', async () => {
      const { sink, relay } = await world({
        tls: 'starttls',
        auth: { ...authenticated, password: 'something else', rejectText: '5.7.8 Bad password {password}' },
      });
      const outcome = await relay.send(message());
      expect(outcome).toMatchObject({ kind: 'permanent', code: 535, enhanced: '5.7.8' });
      expect(outcome.detail).not.toContain(PASS);
      expect(outcome.detail).not.toContain(encodeURIComponent(PASS));
      expect(outcome.detail).not.toContain(USER);
      expect((await sink.record()).transactions).toEqual([]);
    });

    it('sends without AUTH when it has no credentials and the server does not require them', async () => {
      const { sink, relay } = await world(
        { tls: 'starttls', auth: { ...authenticated, required: false } },
        { auth: false },
      );
      expect((await relay.send(message())).kind).toBe('sent');
      const record = await sink.record();
      expect(record.auth).toEqual([]);
      expect(record.transactions).toHaveLength(1);
    });

    it('requires STARTTLS on smtp://: a server without it gets neither credentials nor mail', async () => {
      const { sink, relay } = await world({ tls: 'plaintext', auth: authenticated });
      expect(await relay.send(message())).toMatchObject({ kind: 'transient', code: undefined });
      const record = await sink.record();
      expect(record.auth).toEqual([]);
      expect(record.transactions).toEqual([]);
    });

    for (const tls of ['implicit', 'starttls'] as const) {
      it(`verifies the server certificate (${tls})`, async () => {
        const { sink, relay } = await world({ tls, certificate: 'untrusted', auth: authenticated });
        expect(await relay.send(message())).toMatchObject({ kind: 'transient', code: undefined });
        const record = await sink.record();
        expect(record.auth).toEqual([]);
        expect(record.transactions).toEqual([]);
      });
    }

    it('refuses an envelope address that could inject SMTP commands, without connecting', async () => {
      const { sink, relay } = await world({ tls: 'starttls', auth: authenticated });
      const injected = 'a@example.test>\r\nRCPT TO:<evil@example.test';
      expect(await relay.send(message(injected))).toMatchObject({
        kind: 'permanent',
        code: undefined,
        enhanced: '5.1.3',
      });
      expect(await relay.send({ ...message(), from: injected })).toMatchObject({
        kind: 'permanent',
        enhanced: '5.1.7',
      });
      expect((await sink.record()).connections).toBe(0);
    });
  });
}
