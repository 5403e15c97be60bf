import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { Email, LogLevel, WorkerMailer, type SmtpReplyError, type WorkerMailerOptions } from 'worker-mailer';
import { remoteSinks } from '../../support/remote-sinks';
import type { Sink, SinkOptions } from '../../support/smtp-sink-protocol';
import { cleanupAfterEach } from '../../support/cleanup';

// Regression tests for patches/worker-mailer+1.2.1.patch, one per defect it fixes.
const sinks = remoteSinks(inject('smtpSinkControl'));
const FROM = 'sender@example.test';
const TO = 'rcpt@example.test';
const USER = 'patch-user';
const PASS = 'patch-password';
const RAW = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: raw\r\n\r\n.dot\r\nbody\r\n';

afterEach(() => {
  vi.restoreAllMocks();
});
const cleanup = cleanupAfterEach();

async function sinkWith(options: Partial<SinkOptions> = {}): Promise<Sink> {
  const sink = await sinks.start({ tls: 'implicit', ...options });
  cleanup.push(() => sink.close());
  return sink;
}

async function connect(sink: Sink, options: Partial<WorkerMailerOptions> = {}): Promise<WorkerMailer> {
  const mailer = await WorkerMailer.connect({
    host: sink.host,
    port: sink.port,
    secure: true,
    logLevel: LogLevel.NONE,
    responseTimeoutMs: 5_000,
    ...options,
  });
  cleanup.push(() => mailer.close());
  return mailer;
}

const mail = (to = TO, extra: object = {}) => ({ from: FROM, to, subject: 'Hello', text: 'Hi.', ...extra });

describe('worker-mailer patch', () => {
  it('rejects a send whose connection drops mid-DATA instead of spinning the read loop forever', async () => {
    const sink = await sinkWith({ script: { [TO]: { at: 'data', action: 'drop' } } });
    const mailer = await connect(sink, { responseTimeoutMs: 20_000 });
    const started = Date.now();
    await expect(mailer.send(mail())).rejects.toThrow(/closed by the server/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(mailer.send(mail())).rejects.toThrow(/closed/);
  });

  it('keeps bcc recipients out of the headers while still sending to them', async () => {
    const hidden = 'hidden@example.test';
    expect(new Email(mail(TO, { bcc: hidden })).getEmailData()).not.toMatch(/^bcc:/im);
    const sink = await sinkWith();
    await (await connect(sink)).send(mail(TO, { bcc: hidden }));
    const [received] = (await sink.record()).transactions;
    expect(received?.rcptTo).toEqual([TO, hidden]);
    expect(received?.raw).not.toMatch(/^bcc:/im);
    expect(received?.raw).not.toContain(hidden);
  });

  it('rejects CR or LF in any field that reaches a header or an SMTP command', async () => {
    const injections: object[] = [
      { subject: 'Hi\r\nBcc: evil@example.test' },
      { from: 'sender@example.test>\r\nRCPT TO:<evil@example.test' },
      { to: 'rcpt@example.test\nRCPT TO:<evil@example.test>' },
      { to: { name: 'Name\r\nBcc: evil@example.test', email: TO } },
      { cc: 'cc@example.test\r\n' },
      { bcc: ['ok@example.test', 'evil@example.test\r'] },
      { reply: 'reply@example.test\nX: y' },
      { headers: { 'X-Tag': 'a\r\nBcc: evil@example.test' } },
      { headers: { 'X-Tag\r\nBcc': 'evil@example.test' } },
      { attachments: [{ filename: 'a.txt\r\nX: y', content: 'aGk=' }] },
    ];
    for (const injection of injections) expect(() => new Email(mail(TO, injection))).toThrow(/CR or LF/);
    const sink = await sinkWith();
    const mailer = await connect(sink);
    await expect(mailer.send(mail(TO, { subject: 'Hi\r\nBcc: evil@example.test' }))).rejects.toThrow(
      /CR or LF/,
    );
    await mailer.send(mail());
    expect((await sink.record()).transactions.map((t) => t.rcptTo)).toEqual([[TO]]);
  });

  it('sends without AUTH when the server offers it but no credentials are set', async () => {
    const sink = await sinkWith({
      auth: { methods: ['PLAIN'], username: USER, password: PASS, required: false },
    });
    await (await connect(sink)).send(mail());
    const record = await sink.record();
    expect(record.auth).toEqual([]);
    expect(record.transactions).toHaveLength(1);
  });

  it('honours responseTimeoutMs rather than the socket timeout', async () => {
    const sink = await sinkWith({ script: { [TO]: { at: 'rcpt', action: 'stall' } } });
    const mailer = await connect(sink, { responseTimeoutMs: 300, socketTimeoutMs: 60_000 });
    const started = Date.now();
    await expect(mailer.send(mail())).rejects.toThrow(/Timeout/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('clears the timer of every reply, so long sessions do not pile up live timers', async () => {
    const sink = await sinkWith();
    const mailer = await connect(sink);
    const live = new Set<unknown>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation((callback: () => void, ms?: number) => {
      const id = realSet(() => {
        live.delete(id);
        callback();
      }, ms);
      live.add(id);
      return id;
    });
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation((id) => {
      live.delete(id);
      realClear(id);
    });
    for (let i = 0; i < 10; i += 1) await mailer.send(mail(`r${i}@example.test`));
    expect(vi.mocked(globalThis.setTimeout).mock.calls.length).toBeGreaterThanOrEqual(40);
    expect(live.size).toBe(0);
  });

  it('fails instead of continuing in plaintext when STARTTLS is not offered', async () => {
    const sink = await sinkWith({
      tls: 'plaintext',
      auth: { methods: ['PLAIN'], username: USER, password: PASS },
    });
    const connecting = WorkerMailer.connect({
      host: sink.host,
      port: sink.port,
      startTls: true,
      credentials: { username: USER, password: PASS },
      authType: ['plain'],
      logLevel: LogLevel.NONE,
      responseTimeoutMs: 5_000,
    });
    await expect(connecting).rejects.toThrow(/STARTTLS/);
    expect((await sink.record()).auth).toEqual([]);
  });

  it('carries the reply code and text on SMTP errors', async () => {
    const sink = await sinkWith({ script: { [TO]: { at: 'rcpt', reply: 550, text: '5.1.1 No such user' } } });
    const error = (await (await connect(sink)).send(mail()).catch((e: unknown) => e)) as SmtpReplyError;
    expect(error.responseCode).toBe(550);
    expect(error.response).toBe('550 5.1.1 No such user');
  });

  it("resolves a send with the server's final reply", async () => {
    const sink = await sinkWith();
    expect(await (await connect(sink)).send(mail())).toBe('250 2.0.0 Ok: queued');
  });

  it('sends a raw message as it is: CRLF line ends, dots stuffed, no header added', async () => {
    const sink = await sinkWith();
    await (await connect(sink)).send({ from: FROM, to: TO, subject: '', raw: RAW.replaceAll('\r\n', '\n') });
    expect((await sink.record()).transactions.map((t) => t.raw)).toEqual([RAW]);
  });

  it('does not ask for NOTIFY=NEVER (which silences bounces) when the server offers DSN', async () => {
    const sink = await sinkWith({ dsn: true });
    await (await connect(sink)).send(mail());
    const [received] = (await sink.record()).transactions;
    expect(received?.mailParams).toEqual({});
    expect(received?.rcptParams).toEqual([{}]);
  });

  it('rejects a send on a closed mailer instead of queueing it forever', async () => {
    const sink = await sinkWith();
    const mailer = await connect(sink);
    await mailer.close();
    await expect(mailer.send(mail())).rejects.toThrow(/closed/);
  });

  it('closes the socket when the session cannot be set up', async () => {
    const sink = await sinkWith({ auth: { methods: ['PLAIN'], username: USER, password: 'other' } });
    const connecting = WorkerMailer.connect({
      host: sink.host,
      port: sink.port,
      secure: true,
      credentials: { username: USER, password: PASS },
      authType: ['plain'],
      logLevel: LogLevel.NONE,
      responseTimeoutMs: 5_000,
    });
    await expect(connecting).rejects.toThrow(/535/);
    await vi.waitFor(async () => expect((await sink.record()).disconnections).toBe(1), { timeout: 3_000 });
  });
});
