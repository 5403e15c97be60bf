import { createDohResolver } from '../../../src/dns/doh-resolver';
import type { SpfRegion } from '../../../src/domain/spf/check-region';
import { manualClock } from '../../support/fixed-runtime';
import { startDohServer, type DohServer, type Zone } from './doh-server';

export const AMERICAS = 'rp.oracleemaildelivery.com';
export const EUROPE = 'eu.rp.oracleemaildelivery.com';

export const PHOENIX: SpfRegion = {
  spfInclude: AMERICAS,
  smtp: { host: 'smtp.us-phoenix-1.oraclecloud.com' },
};
export const FRANKFURT: SpfRegion = {
  spfInclude: EUROPE,
  smtp: { host: 'smtp.email.eu-frankfurt-1.oci.oraclecloud.com' },
};

/** A DoH server on loopback and a real resolver pointed at it; close the server when done. */
export async function dnsFixture(
  zone: Zone,
): Promise<{ server: DohServer; resolver: ReturnType<typeof createDohResolver> }> {
  const server = await startDohServer(zone);
  const resolver = createDohResolver({
    url: server.url,
    fetch: (url, init) => fetch(url, init),
    clock: manualClock(),
    timeoutMs: 1_000,
  });
  return { server, resolver };
}
