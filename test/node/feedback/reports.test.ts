import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { unsubscribeTokens } from '../../../src/domain/feedback/unsubscribe-token';
import { systemRandomBytes } from '../../../src/platform/system';
import { feedbackReports, softBounces, suppressions } from '../../../src/store/schema';
import { IAD, PHX, TENANCY, type World } from '../../support/world';
import { feedbackWorld } from './feedback-world';

const FEEDBACK_SECRET = 'a-feedback-secret-of-at-least-32-chars';
const UNSUBSCRIBE_SECRET = 'a-test-unsubscribe-secret-of-32-characters';
const MESSAGE_ID = 'fixture-1@example.com';
const RECIPIENTS = [
  'gone@example.org',
  'slow@example.org',
  'blocked@example.org',
  'fine@example.org',
  'angry@example.org',
];
const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/feedback/${name}.eml`, import.meta.url), 'utf8');

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

async function world(): Promise<World> {
  const settings = { FEEDBACK_SECRET, UNSUBSCRIBE_SECRET, PUBLIC_BASE_URL: 'https://mail.example.test' };
  const w = await feedbackWorld(settings, MESSAGE_ID, RECIPIENTS);
  worlds.push(w);
  return w;
}

const post = (w: World, body: string | Uint8Array, region = PHX, secret = FEEDBACK_SECRET) =>
  w.app.request(`/${region}/20220926/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
    body,
  });

const listed = (w: World, region = PHX) => w.databases.get(region)!.db.select().from(suppressions);
const reports = (w: World, region = PHX) => w.databases.get(region)!.db.select().from(feedbackReports);

describe('POST /<region>/20220926/feedback', () => {
  it('a failed DSN suppresses the recipient as HARDBOUNCE with the diagnostic and remote MTA', async () => {
    const w = await world();
    const response = await post(w, fixture('dsn-failed'));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ kind: 'dsn', status: 'matched', applied: 1 });
    expect(await listed(w)).toEqual([
      expect.objectContaining({
        emailAddress: 'gone@example.org',
        reason: 'HARDBOUNCE',
        errorSource: 'mx.example.org',
        messageId: MESSAGE_ID,
        errorDetail:
          '550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      }),
    ]);
    expect(await listed(w, IAD)).toEqual([]);
  });

  it('a delayed DSN counts a soft bounce and suppresses nothing', async () => {
    const w = await world();
    expect((await post(w, fixture('dsn-delayed'))).status).toBe(202);
    expect(await listed(w)).toEqual([]);
    const counted = await w.databases.get(PHX)!.db.select().from(softBounces);
    expect(counted).toEqual([expect.objectContaining({ emailAddress: 'slow@example.org', count: 1 })]);
  });

  it('a DSN for several recipients: hard bounce suppressed, policy and delivered left, strangers ignored', async () => {
    const w = await world();
    expect(await (await post(w, fixture('dsn-multiple'))).json()).toMatchObject({ applied: 1 });
    expect((await listed(w)).map((s) => [s.emailAddress, s.reason, s.errorSource])).toEqual([
      ['gone@example.org', 'HARDBOUNCE', 'relay.example.net'],
    ]);
  });

  it('reads a DSN without an enhanced code in its diagnostic, and one with 8-bit text', async () => {
    const w = await world();
    await post(w, fixture('dsn-no-enhanced'));
    expect(await listed(w)).toEqual([
      expect.objectContaining({ emailAddress: 'gone@example.org', reason: 'HARDBOUNCE' }),
    ]);
    const other = await world();
    await post(other, new TextEncoder().encode(fixture('dsn-8bit')));
    expect(await listed(other)).toEqual([
      expect.objectContaining({ errorDetail: '550 5.1.1 Benutzer unbekannt – Postfach existiert nicht' }),
    ]);
  });

  it('an ARF abuse report suppresses the complainant as COMPLAINT', async () => {
    const w = await world();
    expect(await (await post(w, fixture('arf-abuse'))).json()).toMatchObject({ kind: 'arf', applied: 1 });
    expect(await listed(w)).toEqual([
      expect.objectContaining({
        emailAddress: 'angry@example.org',
        reason: 'COMPLAINT',
        errorSource: 'fbl.isp.example.net',
        messageId: MESSAGE_ID,
        errorDetail: 'Feedback-Type: abuse (ExampleFBL/1.0)',
      }),
    ]);
  });

  it('an ARF with the recipient redacted finds it through our unsubscribe token in the returned headers', async () => {
    const w = await world();
    const token = await unsubscribeTokens(UNSUBSCRIBE_SECRET, systemRandomBytes).seal({
      region: PHX,
      tenancyId: TENANCY,
      recipient: 'fine@example.org',
      sender: 'app@example.com',
      messageId: MESSAGE_ID,
    });
    await post(w, fixture('arf-redacted').replace('{TOKEN}', token));
    expect(await listed(w)).toEqual([
      expect.objectContaining({ emailAddress: 'fine@example.org', reason: 'COMPLAINT' }),
    ]);
  });

  it("a report for another region's message is stored unmatched and writes no suppression", async () => {
    const w = await world();
    const response = await post(w, fixture('dsn-failed'), IAD);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'unmatched', applied: 0 });
    expect(await listed(w, IAD)).toEqual([]);
    expect(await listed(w)).toEqual([]);
    expect(await reports(w, IAD)).toEqual([
      expect.objectContaining({ kind: 'dsn', status: 'unmatched', messageId: MESSAGE_ID }),
    ]);
  });

  it('stores unknown and unparseable reports, answers 202, and survives a MIME bomb', async () => {
    const w = await world();
    const plain = 'From: a@example.com\r\nSubject: hi\r\n\r\nnot a report\r\n';
    expect(await (await post(w, plain)).json()).toMatchObject({ kind: 'unknown', status: 'unparseable' });
    const depth = 200;
    let bomb = 'MIME-Version: 1.0\r\n';
    for (let i = 0; i < depth; i++)
      bomb += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    bomb += 'Content-Type: text/plain\r\n\r\nx\r\n';
    for (let i = depth - 1; i >= 0; i--) bomb += `--b${i}--\r\n`;
    const response = await post(w, bomb);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ kind: 'unknown', status: 'unparseable' });
    expect(await listed(w)).toEqual([]);
    expect((await reports(w)).map((r) => r.status)).toEqual(['unparseable', 'unparseable']);
  });

  it('answers a megabyte of empty MIME parts as unparseable within a second, writing no suppression', async () => {
    const w = await world();
    const parts = `Content-Type: multipart/report; boundary=x\r\n\r\n${'--x\r\n\r\n'.repeat(130_000)}`;
    const started = performance.now();
    const response = await post(w, parts);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ kind: 'unknown', status: 'unparseable' });
    expect(await listed(w)).toEqual([]);
  });

  it('refuses a 10 MiB report with 413 and a wrong or missing secret with 401, writing nothing', async () => {
    const w = await world();
    const huge = fixture('dsn-failed') + 'x'.repeat(10 * 1024 * 1024);
    expect((await post(w, huge)).status).toBe(413);
    expect((await post(w, fixture('dsn-failed'), PHX, 'not-the-secret')).status).toBe(401);
    const unsigned = await w.app.request(`/${PHX}/20220926/feedback`, {
      method: 'POST',
      body: fixture('dsn-failed'),
    });
    expect(unsigned.status).toBe(401);
    expect(await listed(w)).toEqual([]);
    expect(await reports(w)).toEqual([]);
  });
});
