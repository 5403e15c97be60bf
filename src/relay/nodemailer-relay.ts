import nodemailer from 'nodemailer';
import type { Relay, RelayMessage } from '../domain/ports';
import { envelopeProblem } from './envelope';
import {
  DEFAULT_RELAY_TIMEOUTS,
  MAX_MESSAGES_PER_CONNECTION,
  MAX_RELAY_CONNECTIONS,
  type RelayTimeouts,
} from './relay-limits';
import { connectionFailure, failureOutcome, sentOutcome } from './relay-outcome';
import { endpointSecrets, type RelayEndpoint } from './relay-url';

export interface NodemailerRelayOptions {
  endpoint: RelayEndpoint;
  /** PEM certificates to trust instead of Node's store (a private test CA); NODE_EXTRA_CA_CERTS also works. */
  ca?: string;
  timeouts?: Partial<RelayTimeouts>;
  maxConnections?: number;
  /** An envelope id (RFC 3461 ENVID) for each message; only for a relay that is ours, as it may name the tenancy. */
  envelopeId?: (message: RelayMessage) => string | undefined;
}

/** The Node relay: a pool of TLS connections, one SMTP transaction per recipient, the caller's bytes as they are. */
export function createNodemailerRelay(options: NodemailerRelayOptions): Relay {
  const { endpoint } = options;
  const timeouts = { ...DEFAULT_RELAY_TIMEOUTS, ...options.timeouts };
  const secrets = endpointSecrets(endpoint);
  const transport = nodemailer.createTransport({
    pool: true,
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.tls === 'implicit',
    requireTLS: endpoint.tls === 'starttls',
    auth: endpoint.auth,
    tls: { minVersion: 'TLSv1.2', rejectUnauthorized: true, ...(options.ca ? { ca: options.ca } : {}) },
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.replyMs,
    maxConnections: options.maxConnections ?? MAX_RELAY_CONNECTIONS,
    maxMessages: MAX_MESSAGES_PER_CONNECTION,
    // A dropped connection is reported, never resent here: the delivery schedule owns retries, and a
    // resend after an unanswered final dot could deliver twice.
    maxRequeues: 0,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
  let closed = false;

  return {
    host: endpoint.host,
    async send(message) {
      if (closed) throw new Error('relay used after close()');
      const refused = envelopeProblem(message);
      if (refused) return refused;
      try {
        const envid = options.envelopeId?.(message);
        const info = await transport.sendMail({
          envelope: { from: message.from, to: [message.to] },
          raw: message.raw,
          ...(envid ? { dsn: { envid } } : {}),
        });
        return sentOutcome(info.response, secrets);
      } catch (error) {
        // Without TLS nothing was sent: whatever the server answered to STARTTLS, the connection failed.
        if (error instanceof Error && 'code' in error && error.code === 'ETLS') {
          return connectionFailure(`TLS could not be established: ${error.message}`, secrets);
        }
        return failureOutcome(error, secrets);
      }
    },
    close() {
      closed = true;
      transport.close();
      return Promise.resolve();
    },
  };
}
