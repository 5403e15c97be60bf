import { emailAddressProblem, normalizeAddress } from '../email-address';
import { DomainError, invalid } from '../errors';
import { composeMessage } from '../../mime/compose-message';
import type { Mailbox } from '../../mime/address-header';
import { acceptSubmission, type SubmissionContext } from './accept';
import { contentHash } from './content-hash';
import { checkHeaderFields, checkHeaderValue, MAX_DISPLAY_NAME, MAX_SUBJECT } from './header-fields';
import { messageIdProblem } from './message-id';
import { collectRecipients, type RecipientInput } from './recipients';
import { logRejected, type SubmissionLogContext } from './rejection';

const BOUNDARY_LENGTH = 40;

/** SubmitEmailDetails as the SDK sends it, already shaped by the route. */
export interface SubmitEmailInput {
  messageId?: string | undefined;
  sender: { compartmentId: string; senderAddress: RecipientInput };
  recipients: {
    to?: RecipientInput[] | undefined;
    cc?: RecipientInput[] | undefined;
    bcc?: RecipientInput[] | undefined;
  };
  subject: string;
  bodyHtml?: string | undefined;
  bodyText?: string | undefined;
  replyTo?: RecipientInput[] | undefined;
  headerFields?: Record<string, string> | undefined;
}

export interface EmailSubmittedAnswer extends Record<string, unknown> {
  messageId: string;
  envelopeId: string;
  suppressedRecipients: { email: string; name?: string }[];
}

/** A mailbox for a header; recipients' addresses are checked with the recipients, not here. */
function checkMailbox(
  field: string,
  mailbox: RecipientInput,
  address: 'check' | 'checked' = 'check',
): Mailbox {
  const problem = address === 'check' ? emailAddressProblem(mailbox.email) : undefined;
  if (problem) throw invalid(`${field}.email`, problem);
  if (mailbox.name !== undefined) checkHeaderValue(`${field}.name`, mailbox.name, MAX_DISPLAY_NAME);
  return mailbox.name ? { email: mailbox.email, name: mailbox.name } : { email: mailbox.email };
}

function checkContent(input: SubmitEmailInput) {
  if (input.messageId !== undefined) {
    const problem = messageIdProblem(input.messageId);
    if (problem) throw invalid('messageId', problem);
  }
  if (input.bodyText === undefined && input.bodyHtml === undefined) {
    throw new DomainError('MissingParameter', 'bodyText or bodyHtml is required (or both)');
  }
  checkHeaderValue('subject', input.subject, MAX_SUBJECT);
  const recipients = (field: string, list: RecipientInput[] | undefined) =>
    (list ?? []).map((m, i) => checkMailbox(`${field}[${i}]`, m, 'checked'));
  return {
    from: checkMailbox('sender.senderAddress', input.sender.senderAddress),
    replyTo: (input.replyTo ?? []).map((m, i) => checkMailbox(`replyTo[${i}]`, m)),
    to: recipients('recipients.to', input.recipients.to),
    cc: recipients('recipients.cc', input.recipients.cc),
    bcc: recipients('recipients.bcc', input.recipients.bcc),
    headerFields: checkHeaderFields(input.headerFields),
  };
}

/** submitEmail: composes the message from its parts and accepts it for every recipient. */
export async function submitEmail(
  ctx: SubmissionContext,
  input: SubmitEmailInput,
  requestKey: string | undefined,
): Promise<EmailSubmittedAnswer> {
  const { logger } = ctx.rt;
  const sender = input.sender.senderAddress.email;
  const log: SubmissionLogContext = { region: ctx.region.id, sender, messageId: input.messageId };
  const { to = [], cc = [], bcc = [] } = input.recipients;
  const recipients = collectRecipients(logger, log, [...to, ...cc, ...bcc], ctx.limits.maxRecipients);
  let content: ReturnType<typeof checkContent>;
  try {
    content = checkContent(input);
  } catch (error) {
    throw logRejected(logger, log, 'Message parse error', error);
  }
  const boundary = `=_${ctx.rt.ids.random(BOUNDARY_LENGTH)}`;
  const date = ctx.rt.clock.now();
  return acceptSubmission<EmailSubmittedAnswer>(ctx, {
    compartmentId: input.sender.compartmentId,
    senderAddresses: [normalizeAddress(sender)],
    envelopeSender: sender,
    recipients,
    clientMessageId: input.messageId,
    requestKey,
    contentHash: contentHash(['submitEmail', JSON.stringify(input)]),
    compose: (messageId) => [
      composeMessage({
        from: content.from,
        replyTo: content.replyTo,
        to: content.to,
        cc: content.cc,
        headerFields: content.headerFields,
        subject: input.subject,
        text: input.bodyText,
        html: input.bodyHtml,
        messageId,
        date,
        boundary,
      }),
    ],
    respond: ({ messageId, envelopeId, suppressed }) => ({
      messageId,
      envelopeId,
      suppressedRecipients: suppressed.map((r) =>
        r.name ? { email: r.address, name: r.name } : { email: r.address },
      ),
    }),
  });
}
