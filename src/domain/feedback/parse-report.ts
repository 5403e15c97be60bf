import PostalMime from 'postal-mime';

/** Reports are machine-made and shallow (report, three parts, maybe a message): deeper nesting is an attack. */
export const MAX_REPORT_MIME_DEPTH = 8;
/** Header bytes across every part: a DSN with the returned headers needs a few KiB. */
export const MAX_REPORT_HEADER_BYTES = 256 * 1024;
/** Per-recipient groups read from one DSN. */
export const MAX_DSN_RECIPIENTS = 100;
/** Lines that may open a MIME part: a report has three parts, and the message it returns rarely a dozen. */
export const MAX_REPORT_BOUNDARY_LINES = 200;

export interface DsnRecipient {
  recipient: string;
  action: string;
  status: string | undefined;
  diagnostic: string | undefined;
  remoteMta: string | undefined;
}

interface Returned {
  /** The original Message-ID without angle brackets, from the returned message or headers. */
  messageId: string | undefined;
  /** The original List-Unsubscribe value: its token names the recipient even when a report redacts it. */
  listUnsubscribe: string | undefined;
}

export type ParsedReport =
  | ({ kind: 'dsn'; reportingMta: string | undefined; recipients: DsnRecipient[] } & Returned)
  | ({
      kind: 'arf';
      feedbackType: string;
      userAgent: string | undefined;
      reportingMta: string | undefined;
      originalRcptTo: string | undefined;
    } & Returned)
  | { kind: 'unknown'; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
const text = (content: ArrayBuffer | Uint8Array | string): string =>
  typeof content === 'string' ? content : decoder.decode(content);

/** RFC 822-style field groups (separated by blank lines), names lower-cased, folded lines joined. */
function fieldGroups(body: string): Map<string, string>[] {
  const groups: Map<string, string>[] = [];
  for (const block of body.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
    }
    if (fields.size > 0) groups.push(fields);
  }
  return groups;
}

/** `rfc822; user@example.net` → `user@example.net`; `dns; mx.example.net` → `mx.example.net`. */
const typedValue = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  const bare = (semicolon === -1 ? value : value.slice(semicolon + 1)).trim().replace(/^<|>$/g, '');
  return bare === '' ? undefined : bare;
};

function returnedHeaders(
  parts: readonly { mimeType: string; content: ArrayBuffer | Uint8Array | string }[],
): Returned {
  const part = parts.find((p) => p.mimeType === 'message/rfc822' || p.mimeType === 'text/rfc822-headers');
  if (!part) return { messageId: undefined, listUnsubscribe: undefined };
  const header = text(part.content).split(/\r?\n\r?\n/, 1)[0] ?? '';
  const [fields] = fieldGroups(header);
  const messageId = fields
    ?.get('message-id')
    ?.replace(/^\s*<|>\s*$/g, '')
    .trim();
  return { messageId: messageId || undefined, listUnsubscribe: fields?.get('list-unsubscribe') };
}

/** Whether more than `limit` lines start with `--`, the way every MIME boundary line does. */
function boundaryLinesPast(raw: string, limit: number): boolean {
  let count = raw.startsWith('--') ? 1 : 0;
  for (let at = raw.indexOf('\n--'); at !== -1; at = raw.indexOf('\n--', at + 3)) {
    count += 1;
    if (count > limit) return true;
  }
  return count > limit;
}

/** Reads an RFC 3464 delivery status notification or an RFC 5965 feedback report; anything else is 'unknown'. */
export async function parseReport(raw: string): Promise<ParsedReport> {
  // Parsing costs per part: a megabyte of empty parts would take the MIME parser seconds.
  if (boundaryLinesPast(raw, MAX_REPORT_BOUNDARY_LINES)) {
    return { kind: 'unknown', reason: 'too many MIME parts for a report' };
  }
  const email = await PostalMime.parse(raw, {
    forceRfc822Attachments: true,
    maxNestingDepth: MAX_REPORT_MIME_DEPTH,
    maxHeadersSize: MAX_REPORT_HEADER_BYTES,
    maxRfc822NestingDepth: 0,
  });
  const parts = email.attachments.map((a) => ({ mimeType: a.mimeType.toLowerCase(), content: a.content }));
  const status = parts.find(
    (p) => p.mimeType === 'message/delivery-status' || p.mimeType === 'message/global-delivery-status',
  );
  if (status) {
    const [perMessage, ...perRecipient] = fieldGroups(text(status.content));
    const recipients = perRecipient.slice(0, MAX_DSN_RECIPIENTS).flatMap((fields): DsnRecipient[] => {
      const recipient = typedValue(fields.get('final-recipient') ?? fields.get('original-recipient'));
      const action = fields.get('action')?.toLowerCase();
      if (!recipient || !action) return [];
      return [
        {
          recipient: recipient.toLowerCase(),
          action,
          status: /^([245]\.\d{1,3}\.\d{1,3})/.exec(fields.get('status') ?? '')?.[1],
          diagnostic: typedValue(fields.get('diagnostic-code')),
          remoteMta: typedValue(fields.get('remote-mta'))?.toLowerCase(),
        },
      ];
    });
    if (recipients.length === 0) return { kind: 'unknown', reason: 'a delivery status without recipients' };
    return {
      kind: 'dsn',
      reportingMta: typedValue(perMessage?.get('reporting-mta'))?.toLowerCase(),
      recipients,
      ...returnedHeaders(parts),
    };
  }
  const feedback = parts.find((p) => p.mimeType === 'message/feedback-report');
  if (feedback) {
    const [fields] = fieldGroups(text(feedback.content));
    const feedbackType = fields?.get('feedback-type')?.toLowerCase();
    if (!fields || !feedbackType)
      return { kind: 'unknown', reason: 'a feedback report without Feedback-Type' };
    return {
      kind: 'arf',
      feedbackType,
      userAgent: fields.get('user-agent'),
      reportingMta: typedValue(fields.get('reporting-mta'))?.toLowerCase(),
      originalRcptTo: typedValue(fields.get('original-rcpt-to'))?.toLowerCase(),
      ...returnedHeaders(parts),
    };
  }
  return { kind: 'unknown', reason: 'neither a delivery status nor a feedback report' };
}
