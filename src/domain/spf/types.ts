import type { IpAddress } from './ip-address';

/** The seven results of RFC 7208 section 2.6. */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror';

/**
 * Whom check_host() asks about: one sending address, or a region's sending infrastructure as a whole,
 * which a domain authorizes by including (or redirecting to) the host that lists it.
 */
export type SpfClient = { kind: 'address'; ip: IpAddress } | { kind: 'infrastructure'; includeHost: string };

export interface SpfOutcome {
  result: SpfResult;
  reason: string;
}

export interface SpfEvaluation extends SpfOutcome {
  /** The `v=spf1` record published at the evaluated domain itself, when there is exactly one. */
  record: string | null;
  lookupCount: number;
  voidLookupCount: number;
}

export interface SpfVerdict extends SpfEvaluation {
  domain: string;
  /** Whether the domain's policy authorizes the region's sending infrastructure (the sender's `isSpf`). */
  authorized: boolean;
}
