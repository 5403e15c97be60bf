import { parseRelayUrl, SUBMISSION_PORT, type RelayEndpoint } from './relay-url';
import type { RegionDescriptor } from '../values/region';
import { ConfigError } from '../config/settings';

/** Overrides the relay of every region that has no relay variable of its own. */
export const ALL_REGIONS_RELAY_VARIABLE = 'RELAY_URL';

export interface RegionRelaySettings {
  endpoint: RelayEndpoint;
  /** Which variable supplied the endpoint, or 'catalog'; a name, never a value. */
  source: string;
}

/**
 * A region's relay: its own RELAY_<KEY>_URL (named by the catalog), else RELAY_URL, else the catalog's
 * SMTP host on 587 with STARTTLS and no credentials. An invalid URL is a ConfigError naming the variable.
 */
export function regionRelaySettings(
  region: RegionDescriptor,
  env: Record<string, unknown>,
): RegionRelaySettings {
  for (const name of [region.bindings.relayUrl, ALL_REGIONS_RELAY_VARIABLE]) {
    const value = env[name];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const parsed = parseRelayUrl(value.trim());
    if (!parsed.ok) throw new ConfigError(`Invalid configuration:\n  ${name}: ${parsed.problem}`);
    return { endpoint: parsed.endpoint, source: name };
  }
  return {
    endpoint: { host: region.smtp.host, port: SUBMISSION_PORT, tls: 'starttls', auth: undefined },
    source: 'catalog',
  };
}
