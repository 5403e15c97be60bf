const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The wait after the 1st, 2nd, ... transient failure; the last entry repeats until the give-up time. */
export const RETRY_INTERVALS_MS: readonly number[] = Object.freeze([
  1 * MINUTE_MS,
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  1 * HOUR_MS,
  2 * HOUR_MS,
  4 * HOUR_MS,
]);

/** How long the submission API gives a recipient before it expires (give_up_at = accepted + this). */
export const GIVE_UP_AFTER_MS = 72 * HOUR_MS;

/** The wait after `failures` transient failures (1 for the first); the table's last entry repeats. */
export function retryInterval(failures: number, schedule: readonly number[] = RETRY_INTERVALS_MS): number {
  const last = schedule.at(-1);
  if (last === undefined) throw new Error('the retry schedule is empty');
  return schedule[Math.max(0, failures - 1)] ?? last;
}

/**
 * When to try again after `failures` transient failures, or 'give-up' once the give-up time has come.
 * The last try is made at the give-up time itself rather than skipped.
 */
export function nextAttempt(
  now: Date,
  failures: number,
  giveUpAt: Date,
  schedule: readonly number[] = RETRY_INTERVALS_MS,
): Date | 'give-up' {
  if (now.getTime() >= giveUpAt.getTime()) return 'give-up';
  const next = now.getTime() + retryInterval(failures, schedule);
  return new Date(Math.min(next, giveUpAt.getTime()));
}
