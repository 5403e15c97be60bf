import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../support/cleanup';
import { ingressServicesStoppedBy, type IngressService } from './ingress-world';
import { openDialog } from './smtp-dialog';

const cleanup = cleanupAfterEach();
const service = ingressServicesStoppedBy(cleanup);

/** A TCP connection that says nothing, from `localAddress` (any of 127/8 reaches the loopback listener). */
function silent(port: number, localAddress: string): Promise<{ socket: Socket; received: () => string }> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () =>
      resolve({ socket, received: () => received }),
    );
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', reject);
    cleanup.push(() => socket.destroy());
  });
}

const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

async function holdSilent(svc: IngressService, port: number, count: number) {
  const held = [];
  for (let i = 0; i < count; i++) held.push(await silent(port, '127.0.0.2'));
  return held;
}

describe('SMTP ingress under a slowloris attack', () => {
  it.each(['starttls', 'implicit'] as const)(
    'the %s listener caps one address and still serves everyone else',
    async (mode) => {
      const svc = await service({ SMTP_MAX_CONNECTIONS_PER_ADDRESS: '5' });
      const port = mode === 'starttls' ? svc.smtp.starttlsPort : svc.smtp.tlsPort;
      await holdSilent(svc, port, 5);
      const refused = await silent(port, '127.0.0.2');
      await closed(refused.socket);
      if (mode === 'starttls')
        expect(refused.received()).toContain('421 4.7.0 Too many connections from your address');

      const dialog = await openDialog(port, { implicit: mode === 'implicit', ca: svc.ca });
      cleanup.push(() => dialog.close());
      expect(dialog.greeting.code).toBe(220);
      if (mode === 'starttls') expect((await dialog.command('EHLO client.test')).code).toBe(250);
    },
  );

  it('cuts a session that has not logged in within SMTP_PRE_AUTH_TIMEOUT_SECONDS, but not a logged-in one', async () => {
    const svc = await service({ SMTP_PRE_AUTH_TIMEOUT_SECONDS: '1' });
    const idle = await silent(svc.smtp.starttlsPort, '127.0.0.2');
    const started = Date.now();
    await closed(idle.socket);
    expect(Date.now() - started).toBeLessThan(5_000);

    const dialog = await openDialog(svc.smtp.tlsPort, { implicit: true, ca: svc.ca });
    cleanup.push(() => dialog.close());
    await dialog.command('EHLO client.test');
    const login = Buffer.from(`\0${svc.login.username}\0${svc.login.password}`).toString('base64');
    expect((await dialog.command(`AUTH PLAIN ${login}`)).code).toBe(235);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await dialog.command('NOOP')).code).toBe(250);
  });

  it("frees the address's slot when a STARTTLS session ends: one session at a time is never refused", async () => {
    const svc = await service({ SMTP_MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const transport = () =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port: svc.smtp.starttlsPort,
        requireTLS: true,
        tls: { ca: svc.ca, servername: 'localhost' },
        auth: { user: svc.login.username, pass: svc.login.password },
      });
    // Three times the limit, each session ended before the next: every one is served.
    for (let i = 0; i < 9; i++) {
      const client = transport();
      await expect(client.verify()).resolves.toBe(true);
      client.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
