import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Clock, Logger } from '../domain/ports';
import { afterAuth, beforeAuth } from './decisions/auth';
import { afterSubmit, BUSY, tooBig } from './decisions/data';
import { AUTH_REQUIRED, afterSenderCheck, beforeMailFrom } from './decisions/mail-from';
import { afterSuppressionCheck, beforeRcptTo, type SuppressionCheck } from './decisions/rcpt-to';
import { regionForTls } from './decisions/tls-region';
import type { FailedAuthLimiter } from '../domain/identity/failed-logins';
import type { MessageBudget, SubmitGate } from './message-budget';
import type { HeldMessage, MessageSpool } from './message-spool';
import { isPositive, replyText, type SmtpReply } from './smtp-reply';
import type { Submitter, SubmitterSession } from './submitter';
import { ingressTlsOptions, type IngressCertificate } from './tls-policy';
import { receivedField } from '../mime/received-field';

/** Sessions one listener serves at once; each holds at most one message in memory. */
export const MAX_CLIENTS = 200;
const SOCKET_TIMEOUT_MS = 5 * 60_000; // RFC 5321 section 4.5.3.2.7: a server waits 5 minutes for a command
const CLOSE_TIMEOUT_MS = 5_000; // sessions still open at shutdown are cut off after this

export type ListenerMode = 'starttls' | 'implicit';

export interface ListenerConfig {
  mode: ListenerMode;
  /** The region of sessions whose TLS name picks none. */
  region: string;
  /** Regions a TLS name may pick on this ingress. */
  served: readonly string[];
  baseDomain: string | undefined;
  host: string;
  port: number;
  certificate: IngressCertificate;
  maxMessageBytes: number;
  maxRecipients: number;
  connections: ConnectionLimits;
}

/** What keeps silent or hoarding clients from filling a listener (SMTP slowloris). */
export interface ConnectionLimits {
  /** Sockets one client address may hold open at once; more are refused at connect. */
  perAddress: number;
  /** A session must have logged in this long after connecting (TLS handshake and greeting included). */
  preAuthMs: number;
}

const TOO_MANY_FROM_ADDRESS = '421 4.7.0 Too many connections from your address; try again later\r\n';

export interface ListenerDeps {
  submitter: Submitter;
  /** Shared by every listener of the ingress. */
  budget: MessageBudget;
  /** Shared by every listener of the ingress. */
  gate: SubmitGate;
  /** Shared by every listener of the ingress. */
  spool: MessageSpool;
  limiter: FailedAuthLimiter;
  clock: Clock;
  logger: Logger;
}

/** The name the listener greets with and writes into Received fields. */
const SERVER_NAME = 'localhost';

export interface SmtpListener {
  mode: ListenerMode;
  region: string;
  port: number;
  close(): Promise<void>;
}

interface SessionState {
  region: string;
  login?: SubmitterSession;
  compartmentId?: string;
}

const refusal = (answer: SmtpReply): Error =>
  Object.assign(new Error(replyText(answer)), { responseCode: answer.code });

/** A message as DATA read it, unless it was too big or the ingress had no room left for it. */
interface ReadMessage {
  message: HeldMessage | undefined;
  /** What it reserved of the budget, to give back once it has been submitted. */
  held: number;
  /** The ingress's budget was spent, or the spool could not keep the message. */
  noRoom: boolean;
}

/**
 * Reads DATA within `maxBytes` into the spool, reserving from the ingress's budget as it arrives; past
 * either, it drains. A spool file behind pauses the client.
 */
function readMessage(
  stream: SMTPServerDataStream,
  maxBytes: number,
  budget: MessageBudget,
  spool: MessageSpool,
): Promise<ReadMessage> {
  return new Promise((resolve, reject) => {
    const writer = spool.start();
    let size = 0;
    let held = 0;
    let noRoom = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes || noRoom) return;
      if (!budget.take(chunk.length)) {
        noRoom = true;
        budget.give(held);
        held = 0;
        writer.abort();
        return;
      }
      held += chunk.length;
      if (!writer.add(chunk)) {
        stream.pause();
        void writer.drained().finally(() => stream.resume());
      }
    });
    stream.on('end', () => {
      if (size > maxBytes || noRoom) {
        writer.abort();
        return resolve({ message: undefined, held, noRoom });
      }
      writer.finish().then(
        (message) => resolve({ message, held, noRoom }),
        () => resolve({ message: undefined, held, noRoom: true }),
      );
    });
    stream.on('error', (error) => {
      writer.abort();
      budget.give(held);
      reject(error);
    });
  });
}

/** One SMTP listener: smtp-server hooks that gather facts, ask a decision, and answer with its reply. */
export async function startSmtpListener(config: ListenerConfig, deps: ListenerDeps): Promise<SmtpListener> {
  const sessions = new Map<string, SessionState>();
  const stateOf = (session: SMTPServerSession): SessionState => {
    let state = sessions.get(session.id);
    if (!state) {
      state = { region: config.region };
      sessions.set(session.id, state);
    }
    return state;
  };
  const answer = (
    callback: (err?: Error | null) => void,
    result: SmtpReply,
    stage: string,
    session: SMTPServerSession,
  ): void => {
    if (isPositive(result)) return callback();
    deps.logger.warn('ingress.refused', {
      stage,
      region: stateOf(session).region,
      client: session.remoteAddress,
      code: result.code,
      enhanced: result.enhanced,
    });
    callback(refusal(result));
  };

  const server = new SMTPServer({
    ...ingressTlsOptions(config.certificate),
    secure: config.mode === 'implicit',
    name: SERVER_NAME,
    banner: 'edge email delivery SMTP submission',
    logger: false,
    disableReverseLookup: true,
    authMethods: ['PLAIN', 'LOGIN'],
    // RFC 2034: ENHANCEDSTATUSCODES in EHLO and an enhanced code on every 2xx, 4xx and 5xx reply.
    hideENHANCEDSTATUSCODES: false,
    authRequiredMessage: replyText(AUTH_REQUIRED),
    size: config.maxMessageBytes,
    maxClients: MAX_CLIENTS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    closeTimeout: CLOSE_TIMEOUT_MS,

    onConnect(session, callback) {
      stateOf(session);
      // AUTH is neither offered nor accepted before TLS; after STARTTLS onSecure turns it on.
      if (!session.secure) Object.assign(session, { disabledCommands: ['AUTH'] });
      callback();
    },
    onSecure(socket, session, callback) {
      Object.assign(session, { disabledCommands: [] });
      const servername = (socket as { servername?: string | false }).servername;
      const verdict = regionForTls({
        servername: typeof servername === 'string' ? servername : undefined,
        listenerRegion: config.region,
        served: config.served,
        baseDomain: config.baseDomain,
      });
      if (verdict.kind === 'refuse') return answer(callback, verdict.reply, 'tls', session);
      const state = stateOf(session);
      state.region = verdict.region;
      state.login = undefined; // RFC 3207: nothing learnt before TLS carries over
      callback();
    },
    onAuth(auth, session, callback) {
      const attempt = { address: session.remoteAddress, username: auth.username ?? '' };
      const early = beforeAuth({ secure: session.secure, throttled: deps.limiter.isThrottled(attempt) });
      if (early) return answer(callback, early, 'auth', session);
      void deps.submitter.login(attempt.username, auth.password ?? '').then((result) => {
        if (result.kind === 'invalid') deps.limiter.recordFailure(attempt);
        if (result.kind === 'ok') {
          deps.limiter.recordSuccess(attempt);
          gate.authenticated(session.remoteAddress, session.remotePort);
          stateOf(session).login = result.session;
          return callback(null, { user: result.session.userId });
        }
        answer(callback, afterAuth(result.kind), 'auth', session);
      });
    },
    onMailFrom(address, session, callback) {
      const state = stateOf(session);
      state.compartmentId = undefined;
      const early = beforeMailFrom({
        secure: session.secure,
        authenticated: state.login !== undefined,
        address: address.address,
      });
      if (early || !state.login) return answer(callback, early ?? AUTH_REQUIRED, 'mail', session);
      void state.login.checkSender(state.region, address.address).then((check) => {
        if (check.kind === 'approved') state.compartmentId = check.compartmentId;
        answer(callback, afterSenderCheck(check, address.address, state.region), 'mail', session);
      });
    },
    onRcptTo(address, session, callback) {
      const state = stateOf(session);
      const early = beforeRcptTo({
        address: address.address,
        accepted: session.envelope.rcptTo.length,
        maxRecipients: config.maxRecipients,
      });
      if (early || !state.login) return answer(callback, early ?? AUTH_REQUIRED, 'rcpt', session);
      void state.login
        .isSuppressed(state.region, address.address)
        .then(
          (suppressed): SuppressionCheck => (suppressed ? 'suppressed' : 'clear'),
          (): SuppressionCheck => 'unavailable',
        )
        .then((check) =>
          answer(callback, afterSuppressionCheck(check, address.address, state.region), 'rcpt', session),
        );
    },
    onData(stream, session, callback) {
      const state = stateOf(session);
      let read: ReadMessage | undefined;
      void readMessage(stream, config.maxMessageBytes, deps.budget, deps.spool)
        .then(async (done) => {
          read = done;
          if (stream.sizeExceeded) return answer(callback, tooBig(config.maxMessageBytes), 'data', session);
          const { message } = done;
          if (!message) return answer(callback, BUSY, 'data', session);
          if (!state.login || state.compartmentId === undefined || !session.envelope.mailFrom) {
            return answer(callback, AUTH_REQUIRED, 'data', session);
          }
          const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          const trace = Buffer.from(
            receivedField({
              helo: session.hostNameAppearsAs,
              clientAddress: session.remoteAddress,
              by: SERVER_NAME,
              protocol: 'ESMTPSA',
              id: session.id,
              recipients,
              date: deps.clock.now(),
            }),
          );
          const envelope = {
            compartmentId: state.compartmentId,
            sender: session.envelope.mailFrom.address,
            recipients,
          };
          const { login, region } = state;
          // Joined once its turn has come, with this hop's trace on top: until then it is in the spool.
          const outcome = await deps.gate.run(trace.length + message.bytes, async () =>
            login.submit(region, envelope, await message.take(trace)),
          );
          const result = afterSubmit(outcome);
          if (!isPositive(result)) return answer(callback, result, 'data', session);
          callback(null, replyText(result));
        })
        .catch(() =>
          answer(callback, afterSubmit({ kind: 'unavailable', detail: 'read failed' }), 'data', session),
        )
        .finally(() => {
          read?.message?.drop();
          deps.budget.give(read?.held ?? 0);
        });
    },
    onClose(session) {
      sessions.delete(session.id);
    },
  });
  server.on('error', () => {
    // A client that drops mid-session or fails the handshake is its own problem; the listener keeps serving.
  });
  const gate = gateConnections(server.server, config.connections, config.mode);

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.server.off('error', reject);
      resolve((server.server.address() as AddressInfo).port);
    });
  });

  return {
    mode: config.mode,
    region: config.region,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Sits in front of smtp-server's own connection handler: refuses a client address past its share of
 * sockets, and cuts a session that has not logged in within `preAuthMs` of connecting.
 */
function gateConnections(listener: SMTPServer['server'], limits: ConnectionLimits, mode: ListenerMode) {
  const perAddress = new Map<string, number>();
  const deadlines = new Map<string, NodeJS.Timeout>();
  const handlers = listener.listeners('connection') as ((socket: Socket) => void)[];
  listener.removeAllListeners('connection');
  listener.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const open = (perAddress.get(address) ?? 0) + 1;
    if (open > limits.perAddress) {
      // A plain-text session can be told why; an implicit TLS one has no channel before its handshake.
      if (mode === 'starttls') socket.end(TOO_MANY_FROM_ADDRESS);
      else socket.destroy();
      return;
    }
    perAddress.set(address, open);
    const key = `${address}:${String(socket.remotePort)}`;
    deadlines.set(
      key,
      setTimeout(() => socket.destroy(), limits.preAuthMs),
    );
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(deadlines.get(key));
      deadlines.delete(key);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    };
    socket.once('close', release);
    // STARTTLS makes smtp-server remove every listener of the plain socket before wrapping it in TLS; without
    // this, the slot of each STARTTLS session would stay taken after it ends.
    const removeAllListeners = socket.removeAllListeners.bind(socket);
    socket.removeAllListeners = (event?: string | symbol) => {
      removeAllListeners(event);
      if (event === undefined || event === 'close') socket.once('close', release);
      return socket;
    };
    for (const handler of handlers) handler.call(listener, socket);
  });
  return {
    authenticated(address: string, port: number) {
      const key = `${address}:${String(port)}`;
      clearTimeout(deadlines.get(key));
      deadlines.delete(key);
    },
  };
}
