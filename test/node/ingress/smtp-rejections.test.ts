import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FAILED_LOGINS } from '../../../src/domain/identity/failed-logins';
import {
  approve,
  FROM,
  IAD,
  mailbox,
  mailText,
  rawMessage,
  ingressServicesStoppedBy,
  suppress,
  type IngressService,
  type SmtpLogin,
} from './ingress-world';
import { openDialog, type Dialog } from './smtp-dialog';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();

const service = ingressServicesStoppedBy(cleanup);

const plain = (login: SmtpLogin): string =>
  Buffer.from(`\0${login.username}\0${login.password}`).toString('base64');

/** An implicit TLS session after EHLO, logged in when `login` is given. */
async function session(svc: IngressService, login?: SmtpLogin, servername?: string): Promise<Dialog> {
  const dialog = await openDialog(svc.smtp.tlsPort, {
    implicit: true,
    ca: svc.ca,
    ...(servername ? { servername } : {}),
  });
  cleanup.push(() => dialog.close());
  expect((await dialog.command('EHLO client.test')).code).toBe(250);
  if (login) expect(await dialog.command(`AUTH PLAIN ${plain(login)}`)).toMatchObject({ code: 235 });
  return dialog;
}

async function createUserLogin(svc: IngressService, name: string): Promise<SmtpLogin> {
  const created = await svc.call('POST', '/20160918/users', {
    compartmentId: svc.admin.tenancyId,
    name,
    description: name,
  });
  const { id } = (await created.json()) as { id: string };
  const credential = await svc.call('POST', `/20160918/users/${id}/smtpCredentials`, { description: name });
  return (await credential.json()) as SmtpLogin;
}

describe('SMTP ingress: TLS and AUTH', () => {
  it('offers AUTH only after STARTTLS and refuses MAIL before TLS with 530 5.7.0', async () => {
    const svc = await service();
    const dialog = await openDialog(svc.smtp.starttlsPort, { implicit: false });
    cleanup.push(() => dialog.close());
    expect(dialog.greeting.code).toBe(220);
    const ehlo = await dialog.command('EHLO client.test');
    expect(ehlo.lines).toContain('STARTTLS');
    expect(ehlo.lines.some((line) => line.startsWith('AUTH'))).toBe(false);
    expect(await dialog.command(`MAIL FROM:<${FROM}>`)).toMatchObject({
      code: 530,
      text: '5.7.0 Must issue a STARTTLS command first',
    });
    // Not offered, so not accepted: the password never reaches a check in the clear.
    expect(await dialog.command(`AUTH PLAIN ${plain(svc.login)}`)).toMatchObject({
      code: 530,
      text: '5.7.0 Must issue a STARTTLS command first',
    });

    expect((await dialog.starttls(svc.ca)).code).toBe(220);
    const secured = await dialog.command('EHLO client.test');
    expect(secured.lines).toContain('AUTH PLAIN LOGIN');
    expect(secured.lines).toContain('SIZE 2097152');
    expect(secured.lines).not.toContain('STARTTLS');
    expect(await dialog.command(`MAIL FROM:<${FROM}>`)).toMatchObject({
      code: 530,
      text: '5.7.0 Authentication required',
    });
    expect((await dialog.command(`AUTH PLAIN ${plain(svc.login)}`)).code).toBe(235);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
  });

  it('answers bad credentials with 535 5.7.8 and throttles an address that keeps failing', async () => {
    const svc = await service();
    const wrong = { ...svc.login, password: 'not-the-password' };
    const dialog = await session(svc);
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect(await dialog.command(`AUTH PLAIN ${plain(wrong)}`)).toMatchObject({
        code: 535,
        text: '5.7.8 Authentication credentials invalid',
      });
    }
    const other = await session(svc);
    expect(await other.command(`AUTH PLAIN ${plain(svc.login)}`)).toMatchObject({
      code: 454,
      text: '4.7.0 Too many failed logins from your address or for this username; try again later',
    });
    const unknown = { username: 'ocid1.user.oc1..nobody@x', password: 'x' };
    expect((await other.command(`AUTH PLAIN ${plain(unknown)}`)).code).toBe(454);
  });
});

describe('SMTP ingress: enhanced status codes (RFC 2034)', () => {
  it('advertises ENHANCEDSTATUSCODES and gives every 2xx and 5xx reply one code, never two', async () => {
    const svc = await service();
    const dialog = await openDialog(svc.smtp.tlsPort, { implicit: true, ca: svc.ca });
    cleanup.push(() => dialog.close());
    expect((await dialog.command('EHLO client.test')).lines).toContain('ENHANCEDSTATUSCODES');
    const enhanced = /^[245]\.\d{1,3}\.\d{1,3} (?![245]\.\d)/;
    const replies = [
      await dialog.command(`AUTH PLAIN ${plain(svc.login)}`),
      await dialog.command('MAIL FROM:<stranger@example.com>'),
      await dialog.command(`MAIL FROM:<${FROM}>`),
      await dialog.command('RCPT TO:<someone@example.net>'),
      await dialog.command('NOOP'),
    ];
    expect(replies.map((reply) => reply.code)).toEqual([235, 550, 250, 250, 250]);
    for (const reply of replies) expect(reply.text).toMatch(enhanced);
    expect(replies[0]?.text).toMatch(/^2\.7\.0 /);
    expect((await dialog.command('DATA')).code).toBe(354);
    const accepted = await dialog.data(rawMessage('enhanced codes', { To: 'someone@example.net' }));
    expect(accepted.code).toBe(250);
    expect(accepted.text).toMatch(/^2\.0\.0 Ok: queued as /);
    expect((await dialog.command('QUIT')).text).toMatch(enhanced);
  });
});

describe('SMTP ingress: guessing passwords', () => {
  it('a right login of its own does not reset the wrong guesses against another user', async () => {
    const svc = await service();
    const victim = await createUserLogin(svc, 'victim');
    const guess = { ...victim, password: 'guessed-wrong' };
    const replies: number[] = [];
    for (let round = 0; round < 3; round++) {
      const dialog = await session(svc);
      for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) {
        replies.push((await dialog.command(`AUTH PLAIN ${plain(guess)}`)).code);
      }
      const own = await session(svc);
      replies.push((await own.command(`AUTH PLAIN ${plain(svc.login)}`)).code);
    }
    // Five wrong guesses in all, then everything from the address is refused unchecked.
    expect(replies.filter((code) => code === 535)).toHaveLength(MAX_FAILED_LOGINS);
    expect(replies.at(-1)).toBe(454);
  });

  it('an unknown username costs the same time as a wrong password', async () => {
    const svc = await service();
    const unknown = {
      username: 'ocid1.user.oc1..nobody@ocid1.tenancy.oc1..nowhere',
      password: 'x'.repeat(32),
    };
    const wrong = { ...svc.login, password: 'x'.repeat(32) };
    const timed = async (login: SmtpLogin): Promise<number> => {
      const dialog = await session(svc);
      const started = performance.now();
      expect((await dialog.command(`AUTH PLAIN ${plain(login)}`)).code).toBe(535);
      return performance.now() - started;
    };
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const unknownTimes: number[] = [];
    const wrongTimes: number[] = [];
    // Two attempts each per round keep every key under the failure limit.
    for (let i = 0; i < 2; i++) {
      unknownTimes.push(await timed(unknown));
      wrongTimes.push(await timed(wrong));
    }
    expect(median(unknownTimes)).toBeGreaterThan(median(wrongTimes) * 0.5);
  });
});

describe('SMTP ingress: envelope', () => {
  it('refuses a MAIL FROM that is not approved, or that the user may not use, with 550 5.7.1', async () => {
    const svc = await service();
    const dialog = await session(svc, svc.login);
    expect(await dialog.command('MAIL FROM:<stranger@example.com>')).toMatchObject({
      code: 550,
      text: '5.7.1 stranger@example.com is not an active approved sender in region us-phoenix-1 that you may use',
    });
    const powerless = await session(svc, await createUserLogin(svc, 'powerless'));
    expect(await powerless.command(`MAIL FROM:<${FROM}>`)).toMatchObject({ code: 550 });
    expect((await powerless.command(`MAIL FROM:<${FROM}>`)).text).toMatch(/^5\.7\.1 /);
  });

  it('refuses a header From that is not approved with 550 5.7.1 at the end of DATA', async () => {
    const svc = await service();
    const dialog = await session(svc, svc.login);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect((await dialog.command('RCPT TO:<to@example.net>')).code).toBe(250);
    expect((await dialog.command('DATA')).code).toBe(354);
    const answer = await dialog.data(rawMessage('spoofed', {}, 'ceo@example.org'));
    expect(answer.code).toBe(550);
    expect(answer.text).toMatch(/^5\.7\.1 ceo@example\.org is not an active approved sender/);
  });

  it('refuses a suppressed recipient at RCPT with 550 saying so, and delivers to the others', async () => {
    const svc = await service();
    await suppress(svc, 'gone@example.net');
    const dialog = await session(svc, svc.login);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect(await dialog.command('RCPT TO:<Gone@Example.net>')).toMatchObject({
      code: 550,
      text: '5.7.1 Recipient suppressed: Gone@Example.net is on the suppression list of region us-phoenix-1',
    });
    expect((await dialog.command('RCPT TO:<kept@example.net>')).code).toBe(250);
    expect((await dialog.command('DATA')).code).toBe(354);
    expect((await dialog.data(rawMessage('partly suppressed'))).code).toBe(250);
    const items = await mailbox(svc, 1);
    expect(items.map((item) => item.rcptTo)).toEqual([['kept@example.net']]);
  });

  it('advertises SIZE and refuses a larger message with 552 5.3.4', async () => {
    const svc = await service({ SUBMIT_MAX_MESSAGE_BYTES: '2048' });
    const dialog = await session(svc, svc.login);
    expect((await dialog.command('EHLO client.test')).lines).toContain('SIZE 2048');
    expect((await dialog.command(`MAIL FROM:<${FROM}> SIZE=4096`)).code).toBe(552);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect((await dialog.command('RCPT TO:<to@example.net>')).code).toBe(250);
    expect((await dialog.command('DATA')).code).toBe(354);
    expect(await dialog.data(rawMessage('x'.repeat(3000)))).toMatchObject({
      code: 552,
      text: '5.3.4 Message size exceeds the limit of 2048 bytes',
    });
  });

  it('answers DATA past the bytes the ingress may hold at once with 452 4.3.1, and takes it once there is room', async () => {
    const svc = await service({ SMTP_MAX_BYTES_IN_FLIGHT: '6000' });
    // About 4.4 KB each: one fits in the ingress's 6,000 bytes, two do not.
    const message = (subject: string) => `${rawMessage(subject)}${`${'x'.repeat(70)}\r\n`.repeat(60)}`;
    const envelope = async (dialog: Dialog) => {
      expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await dialog.command('RCPT TO:<to@example.net>')).code).toBe(250);
      expect((await dialog.command('DATA')).code).toBe(354);
    };
    const first = await session(svc, svc.login);
    await envelope(first);
    first.send(`${message('held')}\r\n`); // not finished: no terminating dot yet
    await new Promise((resolve) => setTimeout(resolve, 300));

    const second = await session(svc, svc.login);
    await envelope(second);
    expect(await second.data(message('refused'))).toMatchObject({
      code: 452,
      text: '4.3.1 Too much mail in flight here; try again later',
    });
    first.send('.\r\n');
    expect((await first.reply()).code).toBe(250); // submitted: its bytes are free again
    await envelope(second);
    expect((await second.data(message('taken'))).code).toBe(250);
  });

  it('keeps a message past the memory share in a private spool file until it is submitted, then removes it', async () => {
    const svc = await service({ SMTP_MAX_BYTES_IN_MEMORY: '0' });
    const spool = join(svc.dataDir, 'spool');
    const body = `${'y'.repeat(70)}\r\n`.repeat(200);
    const dialog = await session(svc, svc.login);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect((await dialog.command('RCPT TO:<spooled@example.net>')).code).toBe(250);
    expect((await dialog.command('DATA')).code).toBe(354);
    dialog.send(`${rawMessage('spooled')}${body}`); // not finished: no terminating dot yet
    await expect.poll(() => readdirSync(spool), { timeout: 2_000 }).toHaveLength(1);
    const [file] = readdirSync(spool);
    expect(statSync(spool).mode & 0o777).toBe(0o700);
    expect(statSync(join(spool, file!)).mode & 0o777).toBe(0o600);

    dialog.send('\r\n.\r\n');
    expect((await dialog.reply()).code).toBe(250);
    expect(readdirSync(spool)).toEqual([]);
    const [item] = await mailbox(svc, 1);
    expect(await mailText(svc, item!.id)).toContain(`${body}\r\n`);
  });

  it('removes the spool file of a client that leaves in the middle of DATA', async () => {
    const svc = await service({ SMTP_MAX_BYTES_IN_MEMORY: '0' });
    const spool = join(svc.dataDir, 'spool');
    const dialog = await session(svc, svc.login);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect((await dialog.command('RCPT TO:<gone@example.net>')).code).toBe(250);
    expect((await dialog.command('DATA')).code).toBe(354);
    dialog.send(rawMessage('gone'));
    await expect.poll(() => readdirSync(spool), { timeout: 2_000 }).toHaveLength(1);
    dialog.close();
    await expect.poll(() => readdirSync(spool), { timeout: 2_000 }).toEqual([]);
  });

  it('answers recipients beyond the limit with 452 4.5.3 and keeps the ones before', async () => {
    const svc = await service({ SUBMIT_MAX_RECIPIENTS: '2' });
    const dialog = await session(svc, svc.login);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect((await dialog.command('RCPT TO:<a@example.net>')).code).toBe(250);
    expect((await dialog.command('RCPT TO:<b@example.net>')).code).toBe(250);
    expect(await dialog.command('RCPT TO:<c@example.net>')).toMatchObject({
      code: 452,
      text: '4.5.3 Too many recipients: at most 2 per message',
    });
    expect((await dialog.command('DATA')).code).toBe(354);
    expect((await dialog.data(rawMessage('two of three'))).code).toBe(250);
    expect((await mailbox(svc, 2)).map((item) => item.rcptTo[0]).sort()).toEqual([
      'a@example.net',
      'b@example.net',
    ]);
  });

  it('maps the API throttling a submission to 451 4.7.1, so the client retries later', async () => {
    const svc = await service({ QUOTA_EMAILS_PER_MINUTE: '1' });
    const dialog = await session(svc, svc.login);
    expect((await dialog.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect((await dialog.command('RCPT TO:<a@example.net>')).code).toBe(250);
    expect((await dialog.command('RCPT TO:<b@example.net>')).code).toBe(250);
    expect((await dialog.command('DATA')).code).toBe(354);
    const answer = await dialog.data(rawMessage('over quota'));
    expect(answer.code).toBe(451);
    expect(answer.text).toMatch(/^4\.7\.1 The tenancy's sending rate/);
  });
});

describe('SMTP ingress: regions', () => {
  const regions = { REGIONS: `us-phoenix-1,${IAD}`, BASE_DOMAIN: 'example.net' };

  it('lets the TLS name smtp.email.<region>.<domain> pick a served region, with its senders and suppressions', async () => {
    const svc = await service({ ...regions, INGRESS_REGIONS: `us-phoenix-1,${IAD}` });
    expect(svc.server.smtp.map((a) => a.region)).toEqual(['us-phoenix-1', IAD]);
    await approve(svc, 'iad@example.com', IAD);
    await suppress(svc, 'iad-gone@example.net', IAD);
    const iad = await session(svc, svc.login, `smtp.email.${IAD}.example.net`);
    expect((await iad.command(`MAIL FROM:<${FROM}>`)).text).toMatch(/^5\.7\.1 .* in region us-ashburn-1 /);
    expect((await iad.command('MAIL FROM:<iad@example.com>')).code).toBe(250);
    expect((await iad.command('RCPT TO:<iad-gone@example.net>')).code).toBe(550);
    const phx = await session(svc, svc.login);
    expect((await phx.command('MAIL FROM:<iad@example.com>')).code).toBe(550);
    expect((await phx.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
    expect((await phx.command('RCPT TO:<iad-gone@example.net>')).code).toBe(250);
  });

  it('refuses a TLS name for a region this ingress does not serve with 554 5.7.0', async () => {
    const svc = await service(regions);
    expect(svc.server.smtp.map((a) => a.region)).toEqual(['us-phoenix-1']);
    const dialog = await openDialog(svc.smtp.tlsPort, {
      implicit: true,
      ca: svc.ca,
      servername: `smtp.email.${IAD}.example.net`,
    });
    cleanup.push(() => dialog.close());
    expect(dialog.greeting).toMatchObject({
      code: 554,
      text: '5.7.0 Region us-ashburn-1 is not served by this SMTP endpoint',
    });
  });
});
