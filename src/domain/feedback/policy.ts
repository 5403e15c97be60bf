import { DAY_MS } from '../../values/durations';

/** How repeated soft bounces become a SOFTBOUNCE suppression. */
export interface SoftBouncePolicy {
  /** The soft bounce that reaches this count within the window suppresses the address. */
  threshold: number;
  /** The window starts at the first counted soft bounce; after it the count starts again. */
  windowMs: number;
}

export const DEFAULT_SOFT_BOUNCE_POLICY: Readonly<SoftBouncePolicy> = Object.freeze({
  threshold: 3,
  windowMs: 7 * DAY_MS,
});
