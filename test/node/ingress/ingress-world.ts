import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { expect } from 'vitest';
import type { Cleanup } from '../../support/cleanup';
import type { IngressAddress } from '../../../src/ingress/start-ingress';
import { eventually, FROM, startDeliveryService, type NodeDeliveryService } from '../delivery/node-support';
import { IAD, PHX } from '../../support/regions';

export { IAD, PHX };

export { FROM };

export interface SmtpLogin {
  username: string;
  password: string;
}

export interface IngressService extends NodeDeliveryService {
  /** The listeners of the first ingress region. */
  smtp: IngressAddress;
  /** The local CA the ingress certificate comes from. */
  ca: string;
  caFile: string;
  login: SmtpLogin;
}

export interface MailboxEntry {
  id: string;
  mailFrom: string;
  rcptTo: string[];
}

/** The real Node entry with the SMTP ingress on free ports, an approved FROM in PHX and an SMTP credential. */
export async function startIngressService(env: Record<string, string> = {}): Promise<IngressService> {
  const svc = await startDeliveryService(
    { SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0', ...env },
    { smtpIngress: true },
  );
  await approve(svc, FROM);
  const created = await svc.call('POST', `/20160918/users/${svc.admin.userId}/smtpCredentials`, {
    description: 'ingress tests',
  });
  expect(created.status).toBe(200);
  const { username, password } = (await created.json()) as SmtpLogin;
  const smtp = svc.server.smtp[0];
  if (!smtp) throw new Error('the ingress did not start');
  const caFile = join(svc.dataDir, 'tls', 'ca-cert.pem');
  return { ...svc, smtp, ca: readFileSync(caFile, 'utf8'), caFile, login: { username, password } };
}

/** Starts ingress services that `cleanup` stops after the test. */
export function ingressServicesStoppedBy(cleanup: Cleanup) {
  return async (env: Record<string, string> = {}): Promise<IngressService> => {
    const svc = await startIngressService(env);
    cleanup.push(() => svc.stop());
    return svc;
  };
}

export async function approve(svc: NodeDeliveryService, emailAddress: string, region = PHX): Promise<void> {
  const created = await svc.call('POST', `/${region}/20170907/senders`, {
    compartmentId: svc.admin.tenancyId,
    emailAddress,
  });
  expect(created.status).toBe(200);
}

export async function suppress(svc: NodeDeliveryService, emailAddress: string, region = PHX): Promise<void> {
  const created = await svc.call('POST', `/${region}/20170907/suppressions`, {
    compartmentId: svc.admin.tenancyId,
    emailAddress,
  });
  expect(created.status).toBe(200);
}

export type Security = 'starttls' | 'implicit';

/** A nodemailer transport to the ingress, trusting only the local CA. */
export function transport(
  svc: IngressService,
  security: Security,
  method: 'PLAIN' | 'LOGIN' = 'PLAIN',
  login: SmtpLogin = svc.login,
) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: security === 'implicit' ? svc.smtp.tlsPort : svc.smtp.starttlsPort,
    secure: security === 'implicit',
    requireTLS: security === 'starttls',
    auth: { user: login.username, pass: login.password, method },
    authMethod: method,
    tls: { ca: svc.ca },
  });
}

/** The capture mailbox once it holds at least `count` messages. */
export async function mailbox(svc: NodeDeliveryService, count: number): Promise<MailboxEntry[]> {
  return eventually(async () => {
    const response = await svc.call('GET', '/_dev/mailbox');
    const { items } = (await response.json()) as { items: MailboxEntry[] };
    return items.length >= count ? items : undefined;
  });
}

export async function mailText(svc: NodeDeliveryService, id: string): Promise<string> {
  return (await svc.call('GET', `/_dev/mailbox/${id}`)).text();
}

export function rawMessage(subject: string, headers: Record<string, string> = {}, from = FROM): string {
  const fields = {
    From: `App <${from}>`,
    To: 'to@example.net',
    Subject: subject,
    Date: 'Fri, 02 Jan 2026 03:04:05 +0000',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
  };
  const head = Object.entries(fields).map(([name, value]) => `${name}: ${value}`);
  return [...head, '', `Hello from ${subject}.`, ''].join('\r\n');
}
