import { z } from 'zod';
import type { Logger } from '../domain/ports';
import type { ApiAnswer, ApiClient } from './api-client';
import { MAX_COMPARTMENTS_SEARCHED } from './in-process-submitter';
import type { LoginResult, SenderCheck, SubmitOutcome, Submitter, SubmitterSession } from './submitter';

const verified = z.object({ userId: z.string().min(1) });
const listed = z.array(z.object({ id: z.string().min(1) }));
const accepted = z.object({ messageId: z.string(), suppressedRecipients: z.array(z.string()).default([]) });
const ociError = z.object({ code: z.string(), message: z.string() });

export interface RemoteSubmitterDeps {
  api: ApiClient;
  /** The tenancy of the ingress's service user; it serves that tenancy's SMTP credentials. */
  tenancyId: string;
  logger: Logger;
}

class UnexpectedAnswer extends Error {
  constructor(readonly status: number) {
    super(`the API answered ${status}`);
  }
}

const query = (params: Record<string, string>): string => new URLSearchParams(params).toString();

/** Submits through the HTTP API, signed as the ingress and acting for the credential's user. */
export function remoteSubmitter(deps: RemoteSubmitterDeps): Submitter {
  const { api, tenancyId, logger } = deps;
  const failed = (event: string, error: unknown): string => {
    const detail =
      error instanceof UnexpectedAnswer ? error.message : error instanceof Error ? error.name : 'unknown';
    logger.error(event, { detail });
    return detail;
  };

  // Listed as the ingress itself (`inspect compartments`); without that grant only the tenancy is searched.
  const compartments = async (): Promise<string[]> => {
    const answer = await api.call({
      method: 'GET',
      path: `/20160918/compartments?${query({
        compartmentId: tenancyId,
        compartmentIdInSubtree: 'true',
        lifecycleState: 'ACTIVE',
        sortBy: 'TIMECREATED',
        sortOrder: 'ASC',
        limit: String(MAX_COMPARTMENTS_SEARCHED - 1),
      })}`,
    });
    if (answer.status === 404) return [tenancyId];
    return [tenancyId, ...expect200(answer, listed).map((c) => c.id)];
  };

  const sessionFor = (userId: string): SubmitterSession => {
    let searched: Promise<string[]> | undefined;
    return {
      userId,
      async checkSender(region, address): Promise<SenderCheck> {
        try {
          searched ??= compartments();
          for (const compartmentId of await searched) {
            // As the user: a compartment where they may not `use` senders answers 404.
            const answer = await api.call({
              method: 'GET',
              path: `/${region}/20170907/senders?${query({ compartmentId, emailAddress: address, lifecycleState: 'ACTIVE', limit: '1' })}`,
              onBehalfOf: userId,
            });
            if (answer.status === 404) continue;
            const [sender] = expect200(answer, listed);
            if (sender) return { kind: 'approved', compartmentId };
          }
          return { kind: 'refused' };
        } catch (error) {
          return { kind: 'unavailable', detail: failed('ingress.sender-check-failed', error) };
        }
      },
      // As the ingress itself (`inspect suppressions`); without it the API still skips suppressed recipients.
      async isSuppressed(region, address) {
        const answer = await api.call({
          method: 'GET',
          path: `/${region}/20170907/suppressions?${query({ compartmentId: tenancyId, emailAddress: address })}`,
        });
        if (answer.status === 404) return false;
        return expect200(answer, listed).length > 0;
      },
      async submit(region, envelope, message): Promise<SubmitOutcome> {
        try {
          const answer = await api.call({
            method: 'POST',
            path: `/${region}/20220926/actions/submitRawEmail`,
            onBehalfOf: userId,
            headers: {
              'content-type': 'message/rfc822',
              'compartment-id': envelope.compartmentId,
              sender: envelope.sender,
              recipients: envelope.recipients.join(','),
            },
            body: message,
          });
          if (answer.status === 200) return { kind: 'accepted', ...expect200(answer, accepted) };
          const refusal = ociError.safeParse(answer.body);
          if (answer.status >= 400 && answer.status < 500 && refusal.success) {
            return { kind: 'refused', status: answer.status, ...refusal.data };
          }
          throw new UnexpectedAnswer(answer.status);
        } catch (error) {
          return { kind: 'unavailable', detail: failed('ingress.submit-failed', error) };
        }
      },
    };
  };

  return {
    async login(username, password): Promise<LoginResult> {
      try {
        const answer = await api.call({
          method: 'POST',
          path: '/20160918/smtpCredentialVerifications',
          body: new TextEncoder().encode(JSON.stringify({ username, password })),
        });
        // 400: a username or password no credential could have (too long, empty).
        if (answer.status === 401 || answer.status === 400) return { kind: 'invalid' };
        return { kind: 'ok', session: sessionFor(expect200(answer, verified).userId) };
      } catch (error) {
        return { kind: 'unavailable', detail: failed('ingress.login-failed', error) };
      }
    },
  };
}

function expect200<S extends z.ZodType>(answer: ApiAnswer, schema: S): z.output<S> {
  const parsed = schema.safeParse(answer.body);
  if (answer.status !== 200 || !parsed.success) throw new UnexpectedAnswer(answer.status);
  return parsed.data;
}
