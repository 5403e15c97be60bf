import { describe, expect, it } from 'vitest';
import { regionCatalog } from '../../../src/config/region-catalog';
import { regionRelaySettings } from '../../../src/relay/relay-settings';
import { ConfigError } from '../../../src/config/settings';

const phoenix = regionCatalog.find((region) => region.id === 'us-phoenix-1')!;

describe('regionRelaySettings', () => {
  it("prefers the region's own variable, named by the catalog", () => {
    expect(phoenix.bindings.relayUrl).toBe('RELAY_PHX_URL');
    const env = {
      RELAY_PHX_URL: 'smtps://phx:one@relay-phx.example.com',
      RELAY_URL: 'smtp://all:two@relay.example.com',
    };
    expect(regionRelaySettings(phoenix, env)).toEqual({
      source: 'RELAY_PHX_URL',
      endpoint: {
        host: 'relay-phx.example.com',
        port: 465,
        tls: 'implicit',
        auth: { user: 'phx', pass: 'one' },
      },
    });
  });

  it('falls back to RELAY_URL for every region without its own', () => {
    const env = {
      RELAY_IAD_URL: 'smtps://iad:x@relay-iad.example.com',
      RELAY_URL: 'smtp://all:two@relay.example.com',
    };
    expect(regionRelaySettings(phoenix, env)).toMatchObject({
      source: 'RELAY_URL',
      endpoint: { host: 'relay.example.com', port: 587, tls: 'starttls' },
    });
  });

  it("falls back to the catalog's SMTP host on 587 with STARTTLS and no credentials", () => {
    expect(regionRelaySettings(phoenix, { RELAY_PHX_URL: '  ', RELAY_URL: '' })).toEqual({
      source: 'catalog',
      endpoint: { host: phoenix.smtp.host, port: 587, tls: 'starttls', auth: undefined },
    });
  });

  it('ignores bindings that are not strings', () => {
    expect(regionRelaySettings(phoenix, { RELAY_PHX_URL: 42 }).source).toBe('catalog');
  });

  it('names the variable of an invalid URL but never its value', () => {
    const env = {
      RELAY_PHX_URL: 'smtp://user@relay.example.com',
      RELAY_URL: 'smtp://ok:ok@relay.example.com',
    };
    expect(() => regionRelaySettings(phoenix, env)).toThrow(ConfigError);
    expect(() => regionRelaySettings(phoenix, env)).toThrow(/RELAY_PHX_URL: credentials need both/);
    const leaky = { RELAY_URL: 'ftp://user:hunter22@relay.example.com' };
    expect(() => regionRelaySettings(phoenix, leaky)).not.toThrow(/hunter22/);
  });

  it('gives every catalog region its own variable name', () => {
    const names = regionCatalog.map((region) => region.bindings.relayUrl);
    expect(new Set(names).size).toBe(regionCatalog.length);
    for (const region of regionCatalog) expect(region.bindings.relayUrl).toBe(`RELAY_${region.key}_URL`);
  });
});
