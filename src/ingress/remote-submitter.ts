import { z } from 'zod';
import type { Logger } from '../domain/ports';
import type { ApiAnswer, ApiClient } from './api-client';
import type { LoginResult, SenderCheck, SubmitOutcome, Submitter, SubmitterSession } from './submitter';

const verified = z.object({ userId: z.string().min(1) });
const listed = z.array(z.object({ id: z.string().min(1) }));
const found = z.object({ compartmentId: z.string().min(1) });
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

  const sessionFor = (userId: string): SubmitterSession => ({
    userId,
    async checkSender(region, address): Promise<SenderCheck> {
      try {
        // As the user: 404 when no compartment holds the address as a sender they may `use`.
        const answer = await api.call({
          method: 'GET',
          path: `/${region}/20170907/smtpSenderLookups?${query({ emailAddress: address })}`,
          onBehalfOf: userId,
        });
        if (answer.status === 404) return { kind: 'refused' };
        return { kind: 'approved', ...expect200(answer, found) };
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
  });

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
