import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');

/** What the relay sink does now: accept, or one of the faults a real relay shows. */
export type SinkMode = 'accept' | 'refuse' | 'defer' | 'drop' | 'stall';

export interface FlappingSink {
  port: number;
  mode: SinkMode;
  /** Copies accepted, by `<Message-ID> recipient`: more than one is a recipient delivered twice. */
  accepted: Map<string, number>;
  /** When the first copy of each was accepted (ms since the epoch). */
  firstAcceptedAt: Map<string, number>;
  /** Sessions each fault was applied to. */
  faults: Map<SinkMode, number>;
  close(): Promise<void>;
}

const CLOSE_TIMEOUT_MS = 200;
const smtpError = (code: number, text: string): Error =>
  Object.assign(new Error(text), { responseCode: code });

/**
 * A TLS relay sink whose behaviour the soak switches while mail flows: it refuses connections (the socket is
 * closed at once), answers 451 to RCPT TO, drops the connection mid-DATA, or stalls without answering DATA.
 */
export async function startFlappingSink(): Promise<FlappingSink> {
  // By the client's port: a drop ends only the session it hits, never a neighbour whose reply is on its way.
  const sockets = new Map<number, Socket>();
  const sink: Omit<FlappingSink, 'port' | 'close'> = {
    mode: 'accept',
    accepted: new Map(),
    firstAcceptedAt: new Map(),
    faults: new Map(),
  };
  const count = (mode: SinkMode) => sink.faults.set(mode, (sink.faults.get(mode) ?? 0) + 1);
  const server = new SMTPServer({
    key: fixture('sink-key.pem'),
    cert: fixture('sink-cert.pem'),
    secure: true,
    name: 'sink.test',
    logger: false,
    disableReverseLookup: true,
    closeTimeout: CLOSE_TIMEOUT_MS,
    disabledCommands: ['AUTH'],
    authOptional: true,
    onConnect(session, callback) {
      if (sink.mode !== 'refuse') return callback();
      count('refuse');
      callback(smtpError(421, '4.3.2 Service not available, closing channel'));
    },
    onRcptTo(_address, _session, callback) {
      if (sink.mode !== 'defer') return callback();
      count('defer');
      callback(smtpError(451, '4.3.0 Try again later'));
    },
    onData(stream, session, callback) {
      const mode = sink.mode;
      const chunks: Buffer[] = [];
      if (mode === 'drop') {
        count('drop');
        stream.once('data', () => sockets.get(session.remotePort)?.destroy());
      }
      if (mode === 'stall') count('stall');
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (mode === 'drop' || mode === 'stall') return; // never answered
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^message-id:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
        for (const rcpt of session.envelope.rcptTo) {
          const key = `${messageId} ${rcpt.address.toLowerCase()}`;
          sink.accepted.set(key, (sink.accepted.get(key) ?? 0) + 1);
          if (!sink.firstAcceptedAt.has(key)) sink.firstAcceptedAt.set(key, Date.now());
        }
        callback(null, '2.0.0 Ok: queued');
      });
    },
  });
  server.on('error', () => {
    // Clients that vanish mid-session are part of the soak; the sink keeps serving.
  });
  server.server.on('secureConnection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return Object.assign(sink, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.values()) socket.destroy();
        server.close(() => resolve());
      }),
  });
}
