import { LogLevel, WorkerMailer, type WorkerMailerOptions } from 'worker-mailer';
import { ConfigError } from '../config/settings';
import type { Relay, RelayOutcome } from '../domain/ports';
import { envelopeProblem } from './envelope';
import {
  DEFAULT_RELAY_TIMEOUTS,
  MAX_MESSAGES_PER_CONNECTION,
  MAX_RELAY_CONNECTIONS,
  type RelayTimeouts,
} from './relay-limits';
import { connectionFailure, failureOutcome, sentOutcome } from './relay-outcome';
import { describeRelay, endpointSecrets, type RelayEndpoint } from './relay-url';

/** Cloudflare refuses outbound connections to port 25. */
export const WORKERS_BLOCKED_PORT = 25;
/** RFC 5321 "service not available, closing transmission channel": the connection is gone after it. */
const SERVICE_CLOSING = 421;

export interface WorkerMailerRelayOptions {
  endpoint: RelayEndpoint;
  /** `greetingMs` is not used: worker-mailer waits `replyMs` for every reply, the greeting included. */
  timeouts?: Partial<RelayTimeouts>;
  maxConnections?: number;
}

interface Connection {
  mailer: WorkerMailer;
  transactions: number;
}

/**
 * The Workers relay: worker-mailer over cloudflare:sockets, one SMTP transaction per recipient on pooled
 * connections. Sockets belong to the request that opened them, so make one relay per request or
 * scheduled run and close it before that ends. TLS is verified by the runtime against its trust store.
 */
export function createWorkerMailerRelay(options: WorkerMailerRelayOptions): Relay {
  const { endpoint } = options;
  if (endpoint.port === WORKERS_BLOCKED_PORT) {
    throw new ConfigError(
      `Workers cannot reach ${describeRelay(endpoint)}: port 25 is blocked; use smtps:// (465) or smtp:// (587)`,
    );
  }
  const timeouts = { ...DEFAULT_RELAY_TIMEOUTS, ...options.timeouts };
  const secrets = endpointSecrets(endpoint);
  const maxConnections = options.maxConnections ?? MAX_RELAY_CONNECTIONS;
  const mailerOptions: WorkerMailerOptions = {
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.tls === 'implicit',
    startTls: endpoint.tls === 'starttls',
    credentials: endpoint.auth && { username: endpoint.auth.user, password: endpoint.auth.pass },
    authType: ['plain', 'login'],
    // Its debug level writes AUTH lines to the console.
    logLevel: LogLevel.NONE,
    socketTimeoutMs: timeouts.connectMs,
    responseTimeoutMs: timeouts.replyMs,
  };

  const idle: Connection[] = [];
  const waiting: (() => void)[] = [];
  let open = 0;
  let closed = false;

  async function acquire(): Promise<Connection | RelayOutcome> {
    for (;;) {
      if (closed) return connectionFailure('relay closed before the message was sent', secrets);
      const ready = idle.pop();
      if (ready) return ready;
      if (open < maxConnections) {
        open += 1;
        try {
          return { mailer: await WorkerMailer.connect(mailerOptions), transactions: 0 };
        } catch (error) {
          open -= 1;
          waiting.shift()?.();
          return failureOutcome(error, secrets);
        }
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  }

  async function release(connection: Connection, reusable: boolean): Promise<void> {
    if (reusable && !closed && connection.transactions < MAX_MESSAGES_PER_CONNECTION) {
      idle.push(connection);
      waiting.shift()?.();
      return;
    }
    open -= 1;
    waiting.shift()?.();
    await connection.mailer.close();
  }

  return {
    host: endpoint.host,
    async send(message) {
      if (closed) throw new Error('relay used after close()');
      const refused = envelopeProblem(message);
      if (refused) return refused;
      const connection = await acquire();
      if (!('mailer' in connection)) return connection;
      connection.transactions += 1;
      let outcome: RelayOutcome;
      try {
        const reply = await connection.mailer.send({
          from: message.from,
          to: message.to,
          subject: '',
          raw: message.raw,
        });
        outcome = sentOutcome(reply, secrets);
      } catch (error) {
        outcome = failureOutcome(error, secrets);
      }
      // After a reply the session is intact (worker-mailer resets it); without one it is not.
      await release(connection, outcome.code !== undefined && outcome.code !== SERVICE_CLOSING);
      return outcome;
    },
    async close() {
      closed = true;
      const connections = idle.splice(0);
      open -= connections.length;
      for (const wake of waiting.splice(0)) wake();
      await Promise.all(connections.map((connection) => connection.mailer.close()));
    },
  };
}
