/** Where the ingress hands mail over, under the identity of an SMTP credential. */
export interface Submitter {
  /** Verifies the password (slow on purpose): once per SMTP session. */
  login(username: string, password: string): Promise<LoginResult>;
}

export type LoginResult =
  { kind: 'ok'; session: SubmitterSession } | { kind: 'invalid' } | { kind: 'unavailable'; detail: string };

/** What MAIL FROM learns about its address in a region. */
export type SenderCheck =
  { kind: 'approved'; compartmentId: string } | { kind: 'refused' } | { kind: 'unavailable'; detail: string };

export interface SmtpEnvelope {
  /** The compartment of the approved sender named by MAIL FROM. */
  compartmentId: string;
  sender: string;
  /** Envelope recipients (RCPT TO), Bcc included; the message may name none of them. */
  recipients: string[];
}

/** The API's answer to one submission, as the HTTP API would give it. */
export type SubmitOutcome =
  | { kind: 'accepted'; messageId: string; suppressedRecipients: string[] }
  /** `status` is the HTTP status and `code` OCI's error code, `message` the reason for the client. */
  | { kind: 'refused'; status: number; code: string; message: string }
  | { kind: 'unavailable'; detail: string };

/** One authenticated SMTP session: the password was verified once, at login. */
export interface SubmitterSession {
  readonly userId: string;
  /** Whether `address` is an ACTIVE approved sender in `region` that this user may `use`. */
  checkSender(region: string, address: string): Promise<SenderCheck>;
  /** Whether `address` is on the tenancy's suppression list in `region`. */
  isSuppressed(region: string, address: string): Promise<boolean>;
  submit(region: string, envelope: SmtpEnvelope, message: Uint8Array): Promise<SubmitOutcome>;
}
