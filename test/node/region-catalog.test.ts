import { describe, expect, it } from 'vitest';
import catalogJson from '../../regions/catalog.json';
import { parseRegionCatalog, regionCatalog } from '../../src/config/region-catalog';

const guide: [key: string, id: string, smtp: string, spf: string][] = [
  ['SJC', 'us-sanjose-1', 'smtp.email.us-sanjose-1.oci.oraclecloud.com', 'rp.oracleemaildelivery.com'],
  ['YNY', 'ap-chuncheon-1', 'smtp.email.ap-chuncheon-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['HYD', 'ap-hyderabad-1', 'smtp.email.ap-hyderabad-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['MEL', 'ap-melbourne-1', 'smtp.email.ap-melbourne-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['BOM', 'ap-mumbai-1', 'smtp.email.ap-mumbai-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['KIX', 'ap-osaka-1', 'smtp.email.ap-osaka-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['ICN', 'ap-seoul-1', 'smtp.email.ap-seoul-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['SYD', 'ap-sydney-1', 'smtp.email.ap-sydney-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['NRT', 'ap-tokyo-1', 'smtp.email.ap-tokyo-1.oci.oraclecloud.com', 'ap.rp.oracleemaildelivery.com'],
  ['YUL', 'ca-montreal-1', 'smtp.email.ca-montreal-1.oci.oraclecloud.com', 'rp.oracleemaildelivery.com'],
  ['YYZ', 'ca-toronto-1', 'smtp.email.ca-toronto-1.oci.oraclecloud.com', 'rp.oracleemaildelivery.com'],
  ['AMS', 'eu-amsterdam-1', 'smtp.email.eu-amsterdam-1.oci.oraclecloud.com', 'eu.rp.oracleemaildelivery.com'],
  ['FRA', 'eu-frankfurt-1', 'smtp.email.eu-frankfurt-1.oci.oraclecloud.com', 'eu.rp.oracleemaildelivery.com'],
  ['ZRH', 'eu-zurich-1', 'smtp.email.eu-zurich-1.oci.oraclecloud.com', 'eu.rp.oracleemaildelivery.com'],
  ['JED', 'me-jeddah-1', 'smtp.email.me-jeddah-1.oci.oraclecloud.com', 'eu.rp.oracleemaildelivery.com'],
  ['GRU', 'sa-saopaulo-1', 'smtp.email.sa-saopaulo-1.oci.oraclecloud.com', 'rp.oracleemaildelivery.com'],
  ['LHR', 'uk-london-1', 'smtp.email.uk-london-1.oci.oraclecloud.com', 'eu.rp.oracleemaildelivery.com'],
  ['IAD', 'us-ashburn-1', 'smtp.us-ashburn-1.oraclecloud.com', 'rp.oracleemaildelivery.com'],
  ['PHX', 'us-phoenix-1', 'smtp.us-phoenix-1.oraclecloud.com', 'rp.oracleemaildelivery.com'],
];

describe('region catalog', () => {
  it('holds exactly the 19 regions of the getting-started guide', () => {
    expect(regionCatalog.map((r) => r.id).sort()).toEqual(guide.map(([, id]) => id).sort());
  });

  for (const [key, id, smtp, spf] of guide) {
    it(`${key} ${id}`, () => {
      const region = regionCatalog.find((r) => r.id === id);
      expect(region).toMatchObject({
        key,
        id,
        realm: 'oc1',
        smtp: { host: smtp, ports: [25, 587], tls: 'starttls' },
        spfInclude: spf,
        bindings: {
          database: `DB_${key}`,
          libsqlUrl: `LIBSQL_URL_${key}`,
          libsqlAuthToken: `LIBSQL_AUTH_TOKEN_${key}`,
          relayUrl: `RELAY_${key}_URL`,
          feedbackSecret: `FEEDBACK_SECRET_${key}`,
          smtpSubmitEndpoint: `SMTP_SUBMIT_ENDPOINT_${key}`,
        },
      });
    });
  }

  it('refuses a catalog with a malformed or duplicate entry', () => {
    const [first] = catalogJson.regions;
    expect(() => parseRegionCatalog({ ...catalogJson, regions: [{ ...first, id: 'Phoenix' }] })).toThrow();
    expect(() => parseRegionCatalog({ ...catalogJson, regions: [first, first] })).toThrow(/duplicate/);
    expect(() =>
      parseRegionCatalog({ ...catalogJson, regions: [{ ...first, geography: 'mars' }] }),
    ).toThrow();
    expect(() => parseRegionCatalog({ ...catalogJson, regions: [{ ...first, secret: 'x' }] })).toThrow();
    expect(() =>
      parseRegionCatalog({
        ...catalogJson,
        regions: [{ ...first, bindings: { ...first?.bindings, feedbackSecret: 'FEEDBACK_SECRET_PHX' } }],
      }),
    ).toThrow(/feedbackSecret must be FEEDBACK_SECRET_SJC/);
    expect(() =>
      parseRegionCatalog({
        ...catalogJson,
        regions: [{ ...first, bindings: { ...first?.bindings, smtpSubmitEndpoint: 'SMTP_ENDPOINT' } }],
      }),
    ).toThrow(/smtpSubmitEndpoint must be SMTP_SUBMIT_ENDPOINT_SJC/);
  });
});
