import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Sink, SinkFactory, SinkOptions, SinkRecord, SinkStep } from './smtp-sink-protocol';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');

/** The CA that signed the trusted sink certificate; clients under test trust only this. */
export const TEST_CA = fixture('ca.pem');

// Short, so a stalled session does not hold close() for smtp-server's default 30 s.
const CLOSE_TIMEOUT_MS = 200;

function certificate(kind: SinkOptions['certificate']): { key: string; cert: string } {
  return kind === 'untrusted'
    ? { key: fixture('untrusted-key.pem'), cert: fixture('untrusted-cert.pem') }
    : { key: fixture('sink-key.pem'), cert: fixture('sink-cert.pem') };
}

const smtpError = (code: number, text: string): Error =>
  Object.assign(new Error(text), { responseCode: code });

/** A real smtp-server on 127.0.0.1, port 0, scripted per recipient, recording what it received. */
export async function startSink(options: SinkOptions): Promise<Sink> {
  const record: SinkRecord = { connections: 0, disconnections: 0, auth: [], transactions: [] };
  const sockets = new Map<string, Socket>();
  const dataStep = (session: SMTPServerSession): SinkStep | undefined =>
    session.envelope.rcptTo
      .map((rcpt) => options.script?.[rcpt.address.toLowerCase()])
      .find((step) => step?.at === 'data');
  const auth = options.auth;

  const server = new SMTPServer({
    ...certificate(options.certificate),
    secure: options.tls === 'implicit',
    name: 'sink.test',
    logger: false,
    disableReverseLookup: true,
    closeTimeout: CLOSE_TIMEOUT_MS,
    disabledCommands: [...(auth ? [] : ['AUTH']), ...(options.tls === 'plaintext' ? ['STARTTLS'] : [])],
    allowInsecureAuth: options.tls === 'plaintext',
    authMethods: auth?.methods ?? ['PLAIN', 'LOGIN'],
    authOptional: auth ? auth.required === false : true,
    hideDSN: options.dsn !== true,
    onConnect(_session, callback) {
      record.connections += 1;
      callback();
    },
    onClose() {
      record.disconnections += 1;
    },
    onSecure(socket, session, callback) {
      sockets.set(session.id, socket);
      callback();
    },
    onAuth(attempt, session, callback) {
      const username = attempt.username ?? '';
      const accepted = !!auth && username === auth.username && attempt.password === auth.password;
      record.auth.push({
        session: session.id,
        method: attempt.method,
        username,
        accepted,
        secure: session.secure,
      });
      if (accepted) return callback(null, { user: username });
      const text = (auth?.rejectText ?? '5.7.8 Authentication credentials invalid').replace(
        '{password}',
        attempt.password ?? '',
      );
      callback(smtpError(535, text));
    },
    onRcptTo(address, session, callback) {
      const step = options.script?.[address.address.toLowerCase()];
      if (step?.at !== 'rcpt') return callback();
      if ('reply' in step) return callback(smtpError(step.reply, step.text));
      // A stalled step never answers; close() ends the session.
    },
    onData(stream, session, callback) {
      const step = dataStep(session);
      const chunks: Buffer[] = [];
      if (step && 'action' in step && step.action === 'drop') {
        // A clean TLS close and FIN mid-message: the client reads end-of-stream, not an error.
        stream.once('data', () => sockets.get(session.id)?.end());
      }
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (step && 'action' in step) return;
        if (step) return callback(smtpError(step.reply, step.text));
        const mailFrom = session.envelope.mailFrom;
        record.transactions.push({
          session: session.id,
          secure: session.secure,
          mailFrom: mailFrom ? mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          mailParams: (mailFrom && mailFrom.args) || {},
          rcptParams: session.envelope.rcptTo.map((rcpt) => rcpt.args || {}),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null, '2.0.0 Ok: queued');
      });
    },
  });
  server.on('error', () => {
    // Clients that vanish mid-session are part of the scenarios; the sink keeps serving.
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

  return {
    host: '127.0.0.1',
    port,
    record: () => Promise.resolve(structuredClone(record)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 nothing listens on: bound by the OS, then released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export const localSinks: SinkFactory = { start: startSink, closedPort };
