import { belowTrace } from '../../mime/received-field';
import { emailAddressProblem, normalizeAddress } from '../email-address';
import { DomainError, invalid } from '../errors';
import { formatMailDate } from '../../mime/date-header';
import { mailboxAddresses } from '../../mime/mailbox-list';
import { fieldsNamed, readRawMessage, withoutFields, type RawMessage } from '../../mime/raw-message';
import { acceptSubmission, type SubmissionContext } from './accept';
import { contentHash } from './content-hash';
import { messageIdProblem } from './message-id';
import { collectRecipients } from './recipients';
import { logRejected, rejectSubmission, type SubmissionLogContext } from './rejection';

/** Header fields that would show blind-copy recipients to everyone else: removed before the message is stored. */
const BLIND_FIELDS = ['Bcc', 'Resent-Bcc'];

export interface SubmitRawEmailInput {
  compartmentId: string;
  /** The envelope sender (MAIL FROM), from the `sender` request header. */
  sender: string;
  /** Every To, Cc and Bcc address, from the `recipients` request header. */
  recipients: string[];
  contentType: 'message/rfc822' | 'message/global';
  /** The MIME message exactly as received. */
  body: Uint8Array;
}

export interface EmailRawSubmittedAnswer extends Record<string, unknown> {
  messageId: string;
  envelopeId: string;
  suppressedRecipients: string[];
}

interface RawFacts {
  message: RawMessage;
  headerFrom: string;
  messageId: string | undefined;
}

function oneField(message: RawMessage, name: string): string | undefined {
  const fields = fieldsNamed(message, name);
  if (fields.length > 1)
    throw invalid('message', `has ${fields.length} ${name} fields; at most one is allowed`);
  return fields[0]?.value;
}

function decodeUtf8(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw invalid('message', 'is not valid UTF-8 (send 8-bit text as UTF-8, or encode it)');
  }
}

function readFacts(text: string): RawFacts {
  const read = readRawMessage(text);
  if (!read.ok) throw invalid('message', read.problem);
  const { message } = read;
  const from = oneField(message, 'From');
  if (from === undefined)
    throw new DomainError('InvalidParameter', 'message: the From header field is missing');
  const addresses = mailboxAddresses(from);
  const [headerFrom] = addresses;
  if (addresses.length !== 1 || headerFrom === undefined) {
    throw invalid('message', 'the From field must hold exactly one address');
  }
  const problem = emailAddressProblem(headerFrom);
  if (problem) throw invalid('message', `the From address ${problem}`);
  const rawId = oneField(message, 'Message-ID');
  let messageId: string | undefined;
  if (rawId !== undefined) {
    messageId = /^<(.*)>$/.exec(rawId)?.[1] ?? rawId;
    const idProblem = messageIdProblem(messageId);
    if (idProblem) throw invalid('message', `the Message-ID ${idProblem}`);
  }
  return { message, headerFrom, messageId };
}

/** The message as relayed: no Bcc field, and a Message-ID and a Date when it came without them. */
function relayedText(facts: RawFacts, messageId: string, date: Date): string[] {
  let added = '';
  if (facts.messageId === undefined) added += `Message-ID: <${messageId}>\r\n`;
  if (fieldsNamed(facts.message, 'Date').length === 0) added += `Date: ${formatMailDate(date)}\r\n`;
  const [header, body] = withoutFields(facts.message, BLIND_FIELDS);
  return [belowTrace(header, added), body];
}

/** submitRawEmail: accepts a caller-built MIME message for the envelope given in the request headers. */
export async function submitRawEmail(
  ctx: SubmissionContext,
  input: SubmitRawEmailInput,
  requestKey: string | undefined,
): Promise<EmailRawSubmittedAnswer> {
  const { logger } = ctx.rt;
  const log: SubmissionLogContext = { region: ctx.region.id, sender: input.sender };
  const senderProblem = emailAddressProblem(input.sender);
  if (senderProblem) {
    throw rejectSubmission(
      logger,
      log,
      'Authorization failure',
      'InvalidParameter',
      `sender: ${senderProblem}`,
    );
  }
  let text: string;
  let facts: RawFacts;
  try {
    text = decodeUtf8(input.body);
    facts = readFacts(text);
  } catch (error) {
    throw logRejected(logger, log, 'Message parse error', error);
  }
  log.messageId = facts.messageId;
  const recipients = collectRecipients(
    logger,
    log,
    input.recipients.map((email) => ({ email })),
    ctx.limits.maxRecipients,
  );
  const senders = new Set([normalizeAddress(input.sender), normalizeAddress(facts.headerFrom)]);
  const date = ctx.rt.clock.now();
  return acceptSubmission<EmailRawSubmittedAnswer>(ctx, {
    compartmentId: input.compartmentId,
    senderAddresses: [...senders],
    envelopeSender: input.sender,
    recipients,
    clientMessageId: facts.messageId,
    requestKey,
    contentHash: contentHash([
      'submitRawEmail',
      input.compartmentId,
      input.sender,
      input.recipients.join(','),
      input.contentType,
      text,
    ]),
    compose: (messageId) => relayedText(facts, messageId, date),
    respond: ({ messageId, envelopeId, suppressed }) => ({
      messageId,
      envelopeId,
      suppressedRecipients: suppressed.map((r) => r.address),
    }),
  });
}
