import { DomainError, STATUS_OF_CODE } from '../domain/errors';
import { normalizeAddress } from '../domain/email-address';
import type { IdentityStore } from '../domain/identity/ports';
import { authenticateSmtp } from '../domain/identity/smtp-credentials/authenticate';
import type { Caller, DeliveryTrigger, Runtime } from '../domain/ports';
import type { SubmissionLimits } from '../domain/submission/limits';
import { findSmtpSender, smtpSenderCompartments } from '../domain/submission/sender-standing';
import { isSuppressedAddress } from '../domain/submission/suppressed-address';
import { submitRawEmail } from '../domain/submission/submit-raw-email';
import type { Regions } from '../domain/regions';
import type { SenderCheck, SubmitOutcome, Submitter, SubmitterSession } from './submitter';

export interface InProcessSubmitterDeps {
  runtime: Runtime;
  regions: Regions;
  identity: IdentityStore;
  limits: SubmissionLimits;
  trigger: DeliveryTrigger;
}

/** Submits in the same process as the API: the domain verbs behind the API's routes, as the credential's user. */
export function inProcessSubmitter(deps: InProcessSubmitterDeps): Submitter {
  const { logger } = deps.runtime;
  const failed = (event: string, error: unknown): string => {
    // The error's name and first line only: a failed query lists its parameters, which may be personal data.
    const detail =
      error instanceof Error ? `${error.name}: ${error.message.split('\n', 1)[0] ?? ''}` : 'unknown';
    logger.error(event, { detail });
    return detail;
  };

  const sessionFor = (caller: Caller): SubmitterSession => {
    let searched: Promise<string[]> | undefined;
    const scopeIn = async (region: string) =>
      (await deps.regions.open(region)).store.forTenancy(caller.tenancyId);

    return {
      userId: caller.userId,
      async checkSender(region, address): Promise<SenderCheck> {
        try {
          // Listed once per session, as a session is one client sending a run of messages.
          searched ??= smtpSenderCompartments(deps.identity, caller.tenancyId);
          const compartmentId = await findSmtpSender(
            await deps.regions.open(region),
            caller,
            await searched,
            address,
          );
          return compartmentId ? { kind: 'approved', compartmentId } : { kind: 'refused' };
        } catch (error) {
          return { kind: 'unavailable', detail: failed('ingress.sender-check-failed', error) };
        }
      },
      async isSuppressed(region, address) {
        return isSuppressedAddress(await scopeIn(region), normalizeAddress(address));
      },
      async submit(region, envelope, message): Promise<SubmitOutcome> {
        try {
          const answer = await submitRawEmail(
            {
              rt: deps.runtime,
              region: await deps.regions.open(region),
              caller,
              limits: deps.limits,
              trigger: deps.trigger,
            },
            {
              compartmentId: envelope.compartmentId,
              sender: envelope.sender,
              recipients: envelope.recipients,
              contentType: 'message/rfc822',
              body: message,
            },
            undefined,
          );
          return {
            kind: 'accepted',
            messageId: answer.messageId,
            suppressedRecipients: answer.suppressedRecipients,
          };
        } catch (error) {
          if (error instanceof DomainError && error.code !== 'InternalServerError') {
            return {
              kind: 'refused',
              status: STATUS_OF_CODE[error.code],
              code: error.code,
              message: error.message,
            };
          }
          return { kind: 'unavailable', detail: failed('ingress.submit-failed', error) };
        }
      },
    };
  };

  return {
    async login(username, password) {
      try {
        const caller = await authenticateSmtp(deps.identity, username, password);
        return caller ? { kind: 'ok', session: sessionFor(caller) } : { kind: 'invalid' };
      } catch (error) {
        return { kind: 'unavailable', detail: failed('ingress.login-failed', error) };
      }
    },
  };
}
