import { describe, expect, it } from 'vitest';
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
