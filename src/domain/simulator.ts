import type { Relay, RelayOutcome } from './ports';

/** Recipients here are accepted and never relayed: volume tests cost no reputation, and a few names simulate. */
export const BLACKHOLE_DOMAIN = 'email-blackhole.com';

export type Scenario = 'success' | 'bounce' | 'softbounce' | 'complaint' | 'unsubscribe';

const ANSWERED_HERE = { host: BLACKHOLE_DOMAIN, via: 'simulator' };

/** What a relay would have answered for each scenario's recipient, and what the recipient does after. */
const simulations: Record<Scenario, RelayOutcome> = {
  success: sent('250 2.0.0 simulated delivery'),
  bounce: {
    kind: 'permanent',
    code: 550,
    enhanced: '5.1.1',
    detail: '550 5.1.1 simulated: no such user',
    answeredBy: ANSWERED_HERE,
  },
  softbounce: {
    kind: 'transient',
    code: 452,
    enhanced: '4.2.2',
    detail: '452 4.2.2 simulated: mailbox full',
    answeredBy: ANSWERED_HERE,
  },
  complaint: {
    ...sent('250 2.0.0 simulated delivery, then a complaint'),
    then: { reason: 'COMPLAINT', detail: 'simulated complaint' },
  },
  unsubscribe: {
    ...sent('250 2.0.0 simulated delivery, then a one-click unsubscribe'),
    then: { reason: 'UNSUBSCRIBE', detail: 'simulated one-click unsubscribe' },
  },
};

function sent(detail: string): RelayOutcome {
  return { kind: 'sent', code: 250, enhanced: '2.0.0', detail, answeredBy: ANSWERED_HERE };
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

/**
 * A region's relay with email-blackhole.com answered here: a scenario's recipient gets its simulated reply,
 * any other address there is accepted and not relayed, and everything else goes to `relay`.
 */
export function withEmailBlackhole(relay: Relay): Relay {
  return {
    host: relay.host,
    send(message) {
      if (!isBlackholeAddress(message.to)) return relay.send(message);
      const scenario = scenarioOf(message.to);
      return Promise.resolve(
        scenario
          ? simulations[scenario]
          : { kind: 'sent', code: undefined, enhanced: undefined, detail: 'accepted, not relayed' },
      );
    },
    close: () => relay.close(),
  };
}
