import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../src/config/settings';
import { cleanupAfterEach } from '../../support/cleanup';
import { ingressServicesStoppedBy } from './ingress-world';

const cleanup = cleanupAfterEach();
const service = ingressServicesStoppedBy(cleanup);

describe('getEmailConfiguration with the SMTP ingress running', () => {
  it("answers the listener serving the region as host:port, usable as it stands; a region without one, the API's host", async () => {
    const svc = await service({ REGIONS: 'us-phoenix-1,us-ashburn-1', INGRESS_REGIONS: 'us-phoenix-1' });
    const configuration = async (region: string) => {
      const response = await svc.call(
        'GET',
        `/${region}/20170907/configuration?compartmentId=${svc.admin.tenancyId}`,
      );
      expect(response.status).toBe(200);
      return (await response.json()) as { smtpSubmitEndpoint: string; httpSubmitEndpoint: string };
    };
    expect((await configuration('us-phoenix-1')).smtpSubmitEndpoint).toBe(
      `127.0.0.1:${String(svc.smtp.starttlsPort)}`,
    );
    expect((await configuration('us-ashburn-1')).smtpSubmitEndpoint).toBe('127.0.0.1');
  });
});

describe('a configured SMTP submission endpoint per region', () => {
  it("wins over the region's listener and host, and leaves other regions alone", async () => {
    const svc = await service({
      REGIONS: 'us-phoenix-1,us-ashburn-1',
      INGRESS_REGIONS: 'us-phoenix-1',
      BASE_DOMAIN: 'mail.example.net',
      SMTP_SUBMIT_ENDPOINT_PHX: 'smtp.phx.example.org:2525',
    });
    const endpoint = async (region: string) => {
      const path = `/${region}/20170907/configuration?compartmentId=${svc.admin.tenancyId}`;
      const response = await svc.call('GET', path);
      return ((await response.json()) as { smtpSubmitEndpoint: string }).smtpSubmitEndpoint;
    };
    expect(await endpoint('us-phoenix-1')).toBe('smtp.phx.example.org:2525');
    expect(await endpoint('us-ashburn-1')).toBe('smtp.email.us-ashburn-1.mail.example.net');
  });

  it('must be a host name, with a port if any', () => {
    const parse = (value: string) => settingsSchema.safeParse({ SMTP_SUBMIT_ENDPOINT_IAD: value });
    expect(parse('smtp.iad.example.org').success).toBe(true);
    expect(parse('192.0.2.7:587').success).toBe(true);
    for (const bad of [
      'SMTP.Example.org',
      'smtp.example.org:0',
      'smtp.example.org:70000',
      'a b',
      'smtp://x',
    ]) {
      expect(parse(bad).success, bad).toBe(false);
    }
  });
});
