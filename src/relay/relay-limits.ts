/** How long a relay waits at each step; tests shorten them, production keeps these. */
export interface RelayTimeouts {
  /** TCP connect (and, for Node, the TLS handshake). */
  connectMs: number;
  /** From connecting to the server's 220 greeting. */
  greetingMs: number;
  /** Any one reply, including the one after the message's final dot. */
  replyMs: number;
}

// RFC 5321 section 4.5.3.2 allows minutes per step for MTA hops; a submission relay answers in
// seconds, and a Worker invocation cannot wait out the RFC's 10-minute DATA timeout.
export const DEFAULT_RELAY_TIMEOUTS: Readonly<RelayTimeouts> = Object.freeze({
  connectMs: 15_000,
  greetingMs: 30_000,
  replyMs: 60_000,
});

/** Connections one relay keeps open; Workers allow 6 simultaneous sockets per request. */
export const MAX_RELAY_CONNECTIONS = 3;

/** Transactions per connection before it is replaced, bounding what one session carries. */
export const MAX_MESSAGES_PER_CONNECTION = 100;
