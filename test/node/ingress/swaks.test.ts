import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM, mailbox, mailText, startIngressService, type IngressService } from './ingress-world';
import { installed, runTool } from './run-tool';

const SWAKS = installed('swaks');
if (!SWAKS) console.warn('swaks is not installed: the swaks tests are skipped (apt-get install -y swaks)');

// CI installs swaks (.ci/run), so there a missing swaks is a failure, never a silent skip.
it.runIf(process.env.CI === 'true')('has swaks installed in CI', () => {
  expect(SWAKS).toBe(true);
});

let svc: IngressService | undefined;
beforeAll(async () => {
  if (SWAKS) svc = await startIngressService();
});
afterAll(() => svc?.stop());

const started = (): IngressService => {
  if (!svc) throw new Error('the service did not start');
  return svc;
};

const swaks = (args: (svc: IngressService) => string[]) =>
  runTool('swaks', [
    '--server',
    '127.0.0.1',
    '--from',
    FROM,
    '--tls-verify',
    '--tls-ca-path',
    started().caFile,
    '--tls-sni',
    'localhost',
    '--timeout',
    '10',
    ...args(started()),
  ]);

describe.skipIf(!SWAKS)('SMTP submission with swaks', () => {
  it('submits over STARTTLS with AUTH PLAIN, and a Bcc recipient stays invisible', async () => {
    const run = await swaks((svc) => [
      '--port',
      String(svc.smtp.starttlsPort),
      '--tls',
      '--auth',
      'PLAIN',
      '--auth-user',
      svc.login.username,
      '--auth-password',
      svc.login.password,
      '--to',
      'seen@example.net,blind@example.net',
      '--header',
      'To: seen@example.net',
      '--header',
      'Subject: from swaks',
    ]);
    expect(run.stdout).toMatch(/<~ {2}250 2\.0\.0 Ok: queued as </);
    expect(run.status).toBe(0);
    const items = await mailbox(started(), 2);
    expect(items.map((item) => item.rcptTo[0]).sort()).toEqual(['blind@example.net', 'seen@example.net']);
    const text = await mailText(started(), items[0]!.id);
    expect(text).toContain('Subject: from swaks');
    expect(text).not.toContain('blind@example.net');
  });

  it('submits over implicit TLS with AUTH LOGIN', async () => {
    const run = await swaks((svc) => [
      '--port',
      String(svc.smtp.tlsPort),
      '--tls-on-connect',
      '--auth',
      'LOGIN',
      '--auth-user',
      svc.login.username,
      '--auth-password',
      svc.login.password,
      '--to',
      'implicit@example.net',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/<~ {2}250 2\.0\.0 Ok: queued as </);
  });

  it('reports bad credentials with 535 5.7.8', async () => {
    const run = await swaks((svc) => [
      '--port',
      String(svc.smtp.tlsPort),
      '--tls-on-connect',
      '--auth',
      'PLAIN',
      '--auth-user',
      svc.login.username,
      '--auth-password',
      'wrong',
      '--to',
      'x@example.net',
    ]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('<~* 535 5.7.8 Authentication credentials invalid');
  });
});
