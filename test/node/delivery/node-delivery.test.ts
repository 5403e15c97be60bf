import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLibsql } from '../../../src/platform/libsql';
import { TEST_CA } from '../../support/smtp-sink';
import { enqueueInto, rawMessage, scriptedSink } from './delivery-world';
import {
  eventually,
  FROM,
  rawFrom,
  startDeliveryService,
  submitRaw,
  type NodeDeliveryService,
} from './node-support';
import { cleanupAfterEach } from '../../support/cleanup';
import { bootstrapNodeAdmin, signedFetch } from '../../support/node-admin';

interface MailboxEntry {
  id: string;
  tenancyId: string;
  region: string;
  mailFrom: string;
  rcptTo: string[];
  receivedAt: string;
  sizeBytes: number;
}

const cleanup = cleanupAfterEach();

async function service(...args: Parameters<typeof startDeliveryService>): Promise<NodeDeliveryService> {
  const started = await startDeliveryService(...args);
  cleanup.push(() => started.stop());
  return started;
}

async function mailbox(svc: NodeDeliveryService, count: number): Promise<MailboxEntry[]> {
  return eventually(async () => {
    const response = await svc.call('GET', '/_dev/mailbox');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: MailboxEntry[] };
    return items.length >= count ? items : undefined;
  });
}

async function approveSender(svc: NodeDeliveryService): Promise<void> {
  const created = await svc.call('POST', '/us-phoenix-1/20170907/senders', {
    compartmentId: svc.admin.tenancyId,
    emailAddress: FROM,
  });
  expect(created.status).toBe(200);
}

describe('Node delivery with no relay configured: the capture mailbox', () => {
  it('delivers submitted mail into DATA_DIR/mailbox over TLS from a local CA and lists it', async () => {
    const svc = await service();
    expect(existsSync(join(svc.dataDir, 'tls', 'ca-cert.pem'))).toBe(true);
    await approveSender(svc);
    const raw = rawFrom('capture', 'to@example.net');
    const recipients = ['to@example.net', 'cc@example.net', 'hidden@example.net'];
    const submitted = await submitRaw(svc.server.url, svc.admin, raw, recipients);
    expect(submitted.status).toBe(200);

    const items = await mailbox(svc, 3);
    expect(items.map((item) => item.rcptTo[0]).sort()).toEqual([...recipients].sort());
    expect(items.every((item) => item.mailFrom === FROM && item.rcptTo.length === 1)).toBe(true);
    const copies = await Promise.all(
      items.map(async (item) => {
        const response = await svc.call('GET', `/_dev/mailbox/${item.id}`);
        expect(response.headers.get('content-type')).toBe('message/rfc822');
        const text = await response.text();
        expect(readFileSync(join(svc.dataDir, 'mailbox', `${item.id}.eml`), 'utf8')).toBe(text);
        expect(item.sizeBytes).toBe(Buffer.byteLength(text));
        return text;
      }),
    );
    expect(new Set(copies).size).toBe(1);
    expect(copies[0]).toContain('Subject: capture\r\n');
    expect(copies[0]).toContain('\r\n\r\nHello from capture.\r\n');
    expect(copies[0]).not.toMatch(/^bcc:/im);
    expect(svc.logs.filter((line) => line.includes('"event":"relayed"'))).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailbox(svc, 3)).toHaveLength(3);
  });

  it('answers an unknown or malformed id with 404 and refuses unsigned calls', async () => {
    const svc = await service();
    expect((await svc.call('GET', '/_dev/mailbox/1767323045678-aaaaaaaaaa')).status).toBe(404);
    expect((await svc.call('GET', '/_dev/mailbox/..%2Fidentity.db')).status).toBe(404);
    expect((await fetch(`${svc.server.url}/_dev/mailbox`)).status).toBe(401);
  });

  it('delivers rows queued before the start, picked up by the poll', async () => {
    const svc = await service();
    const database = await openLibsql({ url: `file:${join(svc.dataDir, 'regions', 'us-phoenix-1.db')}` });
    const raw = rawMessage('queued before');
    await enqueueInto(database.db, new Date(), ['early@example.net'], raw, 2, svc.admin.tenancyId);
    database.client.close();
    const [item] = await mailbox(svc, 1);
    expect(item?.rcptTo).toEqual(['early@example.net']);
    expect(await (await svc.call('GET', `/_dev/mailbox/${item!.id}`)).text()).toBe(raw);
  });
});

describe('Node delivery through a configured relay', () => {
  it('relays to RELAY_URL and serves no capture mailbox', async () => {
    const sink = await scriptedSink();
    cleanup.push(() => sink.close());
    const svc = await service({ RELAY_URL: `smtps://127.0.0.1:${sink.port}` }, { relayCa: TEST_CA });
    await approveSender(svc);
    const raw = rawFrom('relayed', 'out@example.net');
    expect((await submitRaw(svc.server.url, svc.admin, raw, ['out@example.net'])).status).toBe(200);
    const [sent] = await eventually(async () => {
      const { transactions } = await sink.record();
      return transactions.length > 0 ? transactions : undefined;
    });
    expect(sent).toMatchObject({ mailFrom: FROM, rcptTo: ['out@example.net'], secure: true });
    expect(sent?.raw).toContain('Subject: relayed\r\n');
    expect((await svc.call('GET', '/_dev/mailbox')).status).toBe(404);
    expect(existsSync(join(svc.dataDir, 'mailbox'))).toBe(false);
    const relayed = svc.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(relayed).toContainEqual(
      expect.objectContaining({
        event: 'relayed',
        recipient: 'out@example.net',
        smtpStatus: '250 2.0.0 Ok: queued',
      }),
    );
  });

  it('never logs relay credentials', async () => {
    const sink = await scriptedSink({ 'x@example.net': { at: 'rcpt', reply: 550, text: '5.1.1 nope' } });
    cleanup.push(() => sink.close());
    const svc = await service(
      { RELAY_PHX_URL: `smtps://relay-user:s3cret-pass@127.0.0.1:${sink.port}`, LOG_LEVEL: 'debug' },
      { relayCa: TEST_CA },
    );
    await approveSender(svc);
    await submitRaw(svc.server.url, svc.admin, rawFrom('secret', 'x@example.net'), ['x@example.net']);
    await eventually(() =>
      Promise.resolve(svc.logs.some((line) => line.includes('"event":"relayed"')) ? true : undefined),
    );
    const all = svc.logs.join('\n');
    expect(all).toContain('smtps://[redacted]@127.0.0.1');
    expect(all).not.toContain('s3cret-pass');
    expect(all).not.toContain('relay-user');
  });
});

describe('the capture mailbox belongs to each tenancy', () => {
  it("shows a tenancy its own copies only: another tenancy's administrator gets 404", async () => {
    const svc = await service();
    await approveSender(svc);
    const other = await bootstrapNodeAdmin(svc.dataDir, 'ocid1.tenancy.oc1..aaaaaaaaothertenancy');
    const otherCall = (path: string) => signedFetch(other, 'GET', `${svc.server.url}${path}`);
    const raw = rawFrom('tenancy A only', 'a@example.net');
    expect((await submitRaw(svc.server.url, svc.admin, raw, ['a@example.net'])).status).toBe(200);
    const [item] = await mailbox(svc, 1);
    expect(item).toMatchObject({ tenancyId: svc.admin.tenancyId, region: 'us-phoenix-1' });

    const listed = (await (await otherCall('/_dev/mailbox')).json()) as { items: MailboxEntry[] };
    expect(listed.items).toEqual([]);
    const read = await otherCall(`/_dev/mailbox/${item!.id}`);
    expect(read.status).toBe(404);
    expect(await read.json()).toMatchObject({ code: 'NotAuthorizedOrNotFound' });
  });

  it('`npm run admin -- mailbox` prints the captured copies from DATA_DIR, no signing needed', async () => {
    const svc = await service();
    await approveSender(svc);
    const raw = rawFrom('read me from the CLI', 'cli@example.net');
    expect((await submitRaw(svc.server.url, svc.admin, raw, ['cli@example.net'])).status).toBe(200);
    const [item] = await mailbox(svc, 1);
    const printed = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/admin.ts', 'mailbox', '--last', '1'],
      {
        env: { ...process.env, DATA_DIR: svc.dataDir },
        encoding: 'utf8',
      },
    );
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain(`=== ${item!.id}`);
    expect(printed.stdout).toContain(`us-phoenix-1  ${svc.admin.tenancyId}`);
    expect(printed.stdout).toContain('RCPT TO:<cli@example.net>');
    expect(printed.stdout).toContain('Subject: read me from the CLI');
  });

  it('refuses mail handed to it without the relay password', async () => {
    const svc = await service({ LOG_LEVEL: 'debug' });
    await approveSender(svc);
    expect(
      (await submitRaw(svc.server.url, svc.admin, rawFrom('x', 'x@example.net'), ['x@example.net'])).status,
    ).toBe(200);
    await mailbox(svc, 1);
    const port = Number(
      /"relay":"smtps:\/\/\[redacted\]@127\.0\.0\.1:(\d+)"/.exec(svc.logs.join('\n'))?.[1] ?? 0,
    );
    expect(port).toBeGreaterThan(0);
    const refused = await nodemailer
      .createTransport({
        host: '127.0.0.1',
        port,
        secure: true,
        tls: { ca: readFileSync(join(svc.dataDir, 'tls', 'ca-cert.pem'), 'utf8') },
        auth: { user: 'relay', pass: 'guess' },
      })
      .sendMail({
        envelope: { from: FROM, to: ['x@example.net'] },
        raw: 'Subject: forged\r\n\r\nhi\r\n',
        dsn: { envid: `us-phoenix-1/${svc.admin.tenancyId}` },
      })
      .then(
        () => 'sent',
        (error: unknown) => (error as { responseCode?: number }).responseCode,
      );
    expect(refused).toBe(535);
  });
});
