import type { Clock } from '../ports';

/** Failed logins one client address, or one username, may take per window; a person mistyping needs far fewer. */
export const MAX_FAILED_LOGINS = 5;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
/** Addresses and usernames remembered at once; the oldest is forgotten first, so a spray stays bounded. */
export const MAX_TRACKED_KEYS = 20_000;

export interface FailedAuthLimits {
  maxFailures: number;
  windowMs: number;
  maxTracked: number;
}

export const FAILED_AUTH_LIMITS: FailedAuthLimits = {
  maxFailures: MAX_FAILED_LOGINS,
  windowMs: FAILED_LOGIN_WINDOW_MS,
  maxTracked: MAX_TRACKED_KEYS,
};

/** Who tries to log in: the client's address and the username it gives. */
export interface LoginAttempt {
  address: string;
  username: string;
}

export interface FailedAuthLimiter {
  /** The address, or the username, used up its failures in the current window: no password is checked. */
  isThrottled(attempt: LoginAttempt): boolean;
  recordFailure(attempt: LoginAttempt): void;
  /** Forgets the failures against this username only: the address keeps its count, for other usernames' sake. */
  recordSuccess(attempt: LoginAttempt): void;
}

interface Failures {
  count: number;
  windowStart: number;
}

const keysOf = (attempt: LoginAttempt): [string, string] => [
  `address ${attempt.address}`,
  `username ${attempt.username.toLowerCase()}`,
];

/** Counts failed logins per client address and per username in fixed windows, with time from `clock`. */
export function createFailedAuthLimiter(
  clock: Clock,
  limits: FailedAuthLimits = FAILED_AUTH_LIMITS,
): FailedAuthLimiter {
  const failures = new Map<string, Failures>();

  const current = (key: string): Failures | undefined => {
    const entry = failures.get(key);
    if (entry && clock.now().getTime() - entry.windowStart >= limits.windowMs) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  };
  const count = (key: string): void => {
    const entry = current(key);
    if (entry) {
      entry.count += 1;
      return;
    }
    if (failures.size >= limits.maxTracked) {
      const oldest = failures.keys().next();
      if (!oldest.done) failures.delete(oldest.value);
    }
    failures.set(key, { count: 1, windowStart: clock.now().getTime() });
  };

  return {
    isThrottled: (attempt) => keysOf(attempt).some((key) => (current(key)?.count ?? 0) >= limits.maxFailures),
    recordFailure(attempt) {
      for (const key of keysOf(attempt)) count(key);
    },
    recordSuccess(attempt) {
      failures.delete(keysOf(attempt)[1]);
    },
  };
}
