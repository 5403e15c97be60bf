import type { RelayOutcome, SuppressionReason } from './ports';

/** Recipients here are accepted and never relayed: volume tests cost no reputation, and a few names simulate. */
export const BLACKHOLE_DOMAIN = 'email-blackhole.com';

export type Scenario = 'success' | 'bounce' | 'softbounce' | 'complaint' | 'unsubscribe';

export interface Simulation {
  /** What a relay would have answered for this recipient. */
  outcome: RelayOutcome;
  /** What the recipient does after receiving it: complain or unsubscribe. */
  then: Extract<SuppressionReason, 'COMPLAINT' | 'UNSUBSCRIBE'> | undefined;
}

const simulations: Record<Scenario, Simulation> = {
  success: { outcome: sent('250 2.0.0 simulated delivery'), then: undefined },
  bounce: {
    outcome: { kind: 'permanent', code: 550, enhanced: '5.1.1', detail: '550 5.1.1 simulated: no such user' },
    then: undefined,
  },
  softbounce: {
    outcome: { kind: 'transient', code: 452, enhanced: '4.2.2', detail: '452 4.2.2 simulated: mailbox full' },
    then: undefined,
  },
  complaint: { outcome: sent('250 2.0.0 simulated delivery, then a complaint'), then: 'COMPLAINT' },
  unsubscribe: {
    outcome: sent('250 2.0.0 simulated delivery, then a one-click unsubscribe'),
    then: 'UNSUBSCRIBE',
  },
};

function sent(detail: string): RelayOutcome {
  return { kind: 'sent', code: 250, enhanced: '2.0.0', detail };
}

export function isBlackholeAddress(address: string): boolean {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase() === BLACKHOLE_DOMAIN;
}

/** The simulator scenario an address names (`bounce+label@email-blackhole.com`), if any. */
export function scenarioOf(address: string): Scenario | undefined {
  if (!isBlackholeAddress(address)) return undefined;
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  const name = local.split('+', 1)[0] ?? '';
  return Object.hasOwn(simulations, name) ? (name as Scenario) : undefined;
}

export function simulate(scenario: Scenario): Simulation {
  return simulations[scenario];
}
