/** What a test sink does for one recipient: answer with a reply, stall, or drop the connection. */
export type SinkStep =
  | { at: 'rcpt' | 'data'; reply: number; text: string }
  | { at: 'rcpt' | 'data'; action: 'stall' }
  | { at: 'data'; action: 'drop' };

export interface SinkAuth {
  methods: ('PLAIN' | 'LOGIN')[];
  username: string;
  password: string;
  /** false offers AUTH without requiring it. */
  required?: boolean;
  /** Reply text for a failed login; `{password}` is replaced by the password the client sent. */
  rejectText?: string;
}

export interface SinkOptions {
  /** implicit: TLS from the first byte; starttls: plain then STARTTLS; plaintext: no TLS offered at all. */
  tls: 'implicit' | 'starttls' | 'plaintext';
  /** untrusted: a certificate signed by a CA nobody trusts. */
  certificate?: 'trusted' | 'untrusted';
  /** Without it the sink does not offer AUTH. */
  auth?: SinkAuth;
  /** Per recipient address; recipients without a step are accepted with 250. */
  script?: Record<string, SinkStep>;
  /** Offer the DSN extension (RFC 3461). */
  dsn?: boolean;
  /** Listen on this port instead of a free one (a sink that comes back where it was). */
  port?: number;
}

export interface SinkTransaction {
  session: string;
  secure: boolean;
  mailFrom: string;
  rcptTo: string[];
  /** Parameters of MAIL FROM and of each RCPT TO, keys upper case. */
  mailParams: Record<string, string | true>;
  rcptParams: Record<string, string | true>[];
  /** The message as received, dot-unstuffed, without the terminating dot line. */
  raw: string;
}

export interface SinkAuthAttempt {
  session: string;
  method: string;
  username: string;
  accepted: boolean;
  secure: boolean;
}

export interface SinkRecord {
  connections: number;
  /** Sessions that have ended, by either side. */
  disconnections: number;
  auth: SinkAuthAttempt[];
  transactions: SinkTransaction[];
}

export interface Sink {
  readonly host: string;
  readonly port: number;
  record(): Promise<SinkRecord>;
  close(): Promise<void>;
}

/** How a test gets sinks, whether it runs in Node or inside workerd. */
export interface SinkFactory {
  start(options: SinkOptions): Promise<Sink>;
  /** A port on 127.0.0.1 where nothing listens. */
  closedPort(): Promise<number>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Node-side sink control server, for tests running inside workerd. */
    smtpSinkControl: string;
  }
}
