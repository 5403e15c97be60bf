import type { Clock } from '../domain/ports';

/** Failed logins one client address may make per window; a person mistyping a password needs far fewer. */
export const MAX_FAILED_LOGINS = 5;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
/** Addresses remembered at once; the oldest is forgotten first, so a spray from many addresses stays bounded. */
export const MAX_TRACKED_ADDRESSES = 10_000;

export interface FailedAuthLimits {
  maxFailures: number;
  windowMs: number;
  maxTracked: number;
}

export const FAILED_AUTH_LIMITS: FailedAuthLimits = {
  maxFailures: MAX_FAILED_LOGINS,
  windowMs: FAILED_LOGIN_WINDOW_MS,
  maxTracked: MAX_TRACKED_ADDRESSES,
};

export interface FailedAuthLimiter {
  /** The address used up its failures in the current window: no password is checked for it. */
  isThrottled(address: string): boolean;
  recordFailure(address: string): void;
  recordSuccess(address: string): void;
}

interface Failures {
  count: number;
  windowStart: number;
}

/** Counts failed logins per client address in fixed windows, with time from `clock`. */
export function createFailedAuthLimiter(
  clock: Clock,
  limits: FailedAuthLimits = FAILED_AUTH_LIMITS,
): FailedAuthLimiter {
  const failures = new Map<string, Failures>();

  const current = (address: string): Failures | undefined => {
    const entry = failures.get(address);
    if (entry && clock.now().getTime() - entry.windowStart >= limits.windowMs) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };

  return {
    isThrottled: (address) => (current(address)?.count ?? 0) >= limits.maxFailures,
    recordFailure(address) {
      const entry = current(address);
      if (entry) {
        entry.count += 1;
        return;
      }
      if (failures.size >= limits.maxTracked) {
        const oldest = failures.keys().next();
        if (!oldest.done) failures.delete(oldest.value);
      }
      failures.set(address, { count: 1, windowStart: clock.now().getTime() });
    },
    recordSuccess(address) {
      failures.delete(address);
    },
  };
}
