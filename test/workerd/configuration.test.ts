import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/worker';
import { signRequest } from '../../src/crypto/request-signature';
import { workerAdmin } from './signed-fetch';

const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaaedgeconfiguration';

/** getEmailConfiguration of `region`, asked of the Worker running with `bindings`. */
async function configuration(bindings: Env, region: string): Promise<unknown> {
  const admin = await workerAdmin(TENANCY);
  const url = `http://worker.test/${region}/20170907/configuration?compartmentId=${TENANCY}`;
  const signed = await signRequest(admin, 'GET', url, undefined, {}, { now: new Date() });
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(signed.url, signed), bindings, ctx);
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(200);
  return response.json();
}

describe('getEmailConfiguration on Workers', () => {
  it("answers the Worker's own host when nothing says where SMTP is served", async () => {
    expect(await configuration(env, 'us-phoenix-1')).toEqual({
      compartmentId: TENANCY,
      httpSubmitEndpoint: 'http://worker.test/us-phoenix-1',
      smtpSubmitEndpoint: 'worker.test',
    });
  });

  it("answers each region's host under BASE_DOMAIN, or the endpoint configured for the region", async () => {
    const bindings = {
      ...env,
      BASE_DOMAIN: 'mail.example.net',
      SMTP_SUBMIT_ENDPOINT_IAD: 'ingress.iad.example.org:587',
    } as Env;
    expect(await configuration(bindings, 'us-phoenix-1')).toMatchObject({
      httpSubmitEndpoint: 'cell0.submit.email.us-phoenix-1.mail.example.net',
      smtpSubmitEndpoint: 'smtp.email.us-phoenix-1.mail.example.net',
    });
    expect(await configuration(bindings, 'us-ashburn-1')).toMatchObject({
      smtpSubmitEndpoint: 'ingress.iad.example.org:587',
    });
  });
});
