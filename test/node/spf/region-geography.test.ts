import { afterEach, describe, expect, it } from 'vitest';
import catalogJson from '../../../regions/catalog.json';
import { parseRegionCatalog, regionCatalog } from '../../../src/config/region-catalog';
import { checkRegionSpf } from '../../../src/domain/spf/check-region';
import { spfRecordToPublish } from '../../../src/domain/spf/record-to-publish';
import type { DohServer } from './doh-server';
import { dnsFixture } from './spf-fixtures';

/** The getting-started guide's "Configure SPF" table, and the geography of each of its regions. */
const guide = {
  americas: 'v=spf1 include:rp.oracleemaildelivery.com ~all',
  'asia-pacific': 'v=spf1 include:ap.rp.oracleemaildelivery.com ~all',
  europe: 'v=spf1 include:eu.rp.oracleemaildelivery.com ~all',
} as const;
const ALL_COMMERCIAL =
  'v=spf1 include:rp.oracleemaildelivery.com include:ap.rp.oracleemaildelivery.com include:eu.rp.oracleemaildelivery.com ~all';

const geographyOf: Record<string, keyof typeof guide> = {
  'us-sanjose-1': 'americas',
  'ap-chuncheon-1': 'asia-pacific',
  'ap-hyderabad-1': 'asia-pacific',
  'ap-melbourne-1': 'asia-pacific',
  'ap-mumbai-1': 'asia-pacific',
  'ap-osaka-1': 'asia-pacific',
  'ap-seoul-1': 'asia-pacific',
  'ap-sydney-1': 'asia-pacific',
  'ap-tokyo-1': 'asia-pacific',
  'ca-montreal-1': 'americas',
  'ca-toronto-1': 'americas',
  'eu-amsterdam-1': 'europe',
  'eu-frankfurt-1': 'europe',
  'eu-zurich-1': 'europe',
  'me-jeddah-1': 'europe',
  'sa-saopaulo-1': 'americas',
  'uk-london-1': 'europe',
  'us-ashburn-1': 'americas',
  'us-phoenix-1': 'americas',
};

// Each geography's own include host publishes addresses only, as Oracle's do; none of them matches the others.
const zone = {
  'americas.example': { TXT: [guide.americas] },
  'asia-pacific.example': { TXT: [guide['asia-pacific']] },
  'europe.example': { TXT: [guide.europe] },
  'all.example': { TXT: [ALL_COMMERCIAL] },
  'rp.oracleemaildelivery.com': { TXT: ['v=spf1 ip4:203.0.113.0/26 -all'] },
  'ap.rp.oracleemaildelivery.com': { TXT: ['v=spf1 ip4:203.0.113.64/26 -all'] },
  'eu.rp.oracleemaildelivery.com': { TXT: ['v=spf1 ip4:203.0.113.128/26 -all'] },
};

let server: DohServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('SPF geography of every region in regions/', () => {
  it('covers exactly the catalog', () => {
    expect(regionCatalog.map((r) => r.id).sort()).toEqual(Object.keys(geographyOf).sort());
  });

  for (const region of regionCatalog) {
    const geography = geographyOf[region.id]!;
    it(`${region.id} publishes the ${geography} record and is authorized by it alone`, async () => {
      const fixture = await dnsFixture(zone);
      server = fixture.server;
      expect(region.geography).toBe(geography);
      expect(spfRecordToPublish(region.spfInclude)).toBe(guide[geography]);
      for (const [other, record] of Object.entries(guide)) {
        const verdict = await checkRegionSpf(fixture.resolver, region, `noreply@${other}.example`);
        expect(verdict.authorized, `${region.id} with ${record}`).toBe(other === geography);
        expect(verdict.result).toBe(other === geography ? 'pass' : 'softfail');
      }
      expect(await checkRegionSpf(fixture.resolver, region, 'noreply@all.example')).toMatchObject({
        authorized: true,
        result: 'pass',
      });
    });
  }
});

describe('outboundAddresses in the region catalog', () => {
  it('accepts IPv4 and IPv6 addresses and refuses anything else', () => {
    const [first, ...rest] = catalogJson.regions;
    const withAddresses = (outboundAddresses: unknown) => ({
      ...catalogJson,
      regions: [{ ...first, outboundAddresses }, ...rest],
    });
    expect(parseRegionCatalog(withAddresses(['192.0.2.25', '2001:db8::25']))[0]?.outboundAddresses).toEqual([
      '192.0.2.25',
      '2001:db8::25',
    ]);
    expect(() => parseRegionCatalog(withAddresses(['192.0.2.0/24']))).toThrow();
    expect(() => parseRegionCatalog(withAddresses(['relay.example.com']))).toThrow();
    expect(() => parseRegionCatalog(withAddresses(Array.from({ length: 65 }, () => '192.0.2.1')))).toThrow();
  });
});
