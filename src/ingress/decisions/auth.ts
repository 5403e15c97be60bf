import { reply, type SmtpReply } from '../smtp-reply';
import type { LoginResult } from '../submitter';

export interface AuthFacts {
  secure: boolean;
  /** The client address has failed to log in too often lately. */
  throttled: boolean;
}

export const AUTH_OK = reply(235, '2.7.0', 'Authentication successful');
export const AUTH_INVALID = reply(535, '5.7.8', 'Authentication credentials invalid');
export const STARTTLS_FIRST = reply(530, '5.7.0', 'Must issue a STARTTLS command first');

/** Whether to check a password at all: never in the clear, never for an address that keeps failing. */
export function beforeAuth(facts: AuthFacts): SmtpReply | undefined {
  if (!facts.secure) return STARTTLS_FIRST;
  if (facts.throttled) {
    return reply(
      454,
      '4.7.0',
      'Too many failed logins from your address or for this username; try again later',
    );
  }
  return undefined;
}

export function afterAuth(result: LoginResult['kind']): SmtpReply {
  switch (result) {
    case 'ok':
      return AUTH_OK;
    case 'invalid':
      return AUTH_INVALID;
    case 'unavailable':
      return reply(454, '4.7.0', 'Temporary authentication failure; try again later');
  }
}
