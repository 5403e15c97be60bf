import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import type { DeliveryTrigger, Runtime } from '../../domain/ports';
import type { SubmissionContext } from '../../domain/submission/accept';
import type { SubmissionLimits } from '../../domain/submission/limits';
import { submitEmail } from '../../domain/submission/submit-email';
import { submitRawEmail } from '../../domain/submission/submit-raw-email';
import type { AppEnv } from '../app-env';
import { clientAddressOf } from '../client-address';
import { compartmentId } from '../schemas';
import { valid } from '../validation';

const MAX_ADDRESS = 254; // RFC 5321 path limit less the brackets
const MAX_NAME = 200; // a display name; the domain refuses more, this only bounds parsing
const MAX_LIST = 1_000; // the recipient ceiling of any configuration
const MAX_RECIPIENTS_HEADER = MAX_LIST * (MAX_ADDRESS + 1); // every address and its comma

const mailbox = z.strictObject({
  email: z.string().max(MAX_ADDRESS),
  name: z.string().max(MAX_NAME).optional(),
});
const mailboxes = z.array(mailbox).max(MAX_LIST);

/** SubmitEmailDetails (oci-emaildataplane 20220926); semantic checks are the domain's. */
const submitEmailDetails = z.strictObject({
  messageId: z.string().max(1_000).optional(),
  sender: z.strictObject({ compartmentId, senderAddress: mailbox }),
  recipients: z.strictObject({
    to: mailboxes.optional(),
    cc: mailboxes.optional(),
    bcc: mailboxes.optional(),
  }),
  subject: z.string(),
  bodyHtml: z.string().optional(),
  bodyText: z.string().optional(),
  replyTo: mailboxes.optional(),
  headerFields: z.record(z.string(), z.string()).optional(),
});

const contentTypes = ['message/rfc822', 'message/global'] as const;

const submitRawHeaders = z.object({
  'compartment-id': compartmentId,
  sender: z.string().min(1).max(MAX_ADDRESS),
  recipients: z.string().min(1).max(MAX_RECIPIENTS_HEADER),
  'content-type': z
    .string()
    .transform((value) => value.split(';', 1)[0]?.trim().toLowerCase())
    .pipe(z.enum(contentTypes, { error: 'must be message/rfc822 or message/global' })),
});

export interface SubmissionDeps {
  runtime: Runtime;
  limits: SubmissionLimits;
  trigger: DeliveryTrigger;
}

/** The caller's opc-request-id when it sent one (a retry repeats it); never one we generated. */
function requestKeyOf(c: Context<AppEnv>): string | undefined {
  const sent = c.req.header('opc-request-id');
  return sent !== undefined && sent === c.var.requestId ? sent : undefined;
}

const contextOf = (deps: SubmissionDeps, c: Context<AppEnv>): SubmissionContext => ({
  rt: deps.runtime,
  region: c.var.region,
  caller: c.var.caller,
  limits: deps.limits,
  trigger: deps.trigger,
  received: { clientAddress: clientAddressOf(c), by: new URL(c.req.url).hostname, protocol: 'HTTPS' },
});

/** Data plane 20220926: POST /actions/submitEmail and /actions/submitRawEmail. */
export function submissionRoutes(deps: SubmissionDeps) {
  return new Hono<AppEnv>()
    .post('/submitEmail', valid('json', submitEmailDetails), async (c) => {
      const answer = await submitEmail(contextOf(deps, c), c.req.valid('json'), requestKeyOf(c));
      return c.json(answer);
    })
    .post('/submitRawEmail', valid('header', submitRawHeaders), async (c) => {
      const headers = c.req.valid('header');
      const recipients = headers.recipients
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean);
      if (recipients.length > MAX_LIST) {
        throw new DomainError('InvalidParameter', `recipients: at most ${MAX_LIST} addresses`);
      }
      const body = new Uint8Array(await c.req.arrayBuffer());
      const answer = await submitRawEmail(
        contextOf(deps, c),
        {
          compartmentId: headers['compartment-id'],
          sender: headers.sender.trim(),
          recipients,
          contentType: headers['content-type'],
          body,
        },
        requestKeyOf(c),
      );
      return c.json(answer);
    });
}
