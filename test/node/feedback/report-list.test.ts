import { afterEach, describe, expect, it } from 'vitest';
import { feedbackReports } from '../../../src/store/schema';
import { expectOciError, json } from '../../support/api';
import { IAD, PHX, TENANCY, type World } from '../../support/world';
import { newGroup, newPolicy, newUser } from '../identity/identity-helpers';
import { FEEDBACK_SECRET, feedbackWorld, fixture, MESSAGE_ID, postReport } from './feedback-world';

const LIST = `/${PHX}/20220926/feedbackReports`;
const MINUTE = 60_000;

interface WireReport {
  id: string;
  kind: string;
  status: string;
  messageId: string | null;
  suppressions: { suppressionId: string; emailAddress: string; reason: string }[];
  timeReceived: string;
}

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

/** Three reports matched to TENANCY's message a minute apart, plus an unmatched and an unparseable one. */
async function world(): Promise<World> {
  const w = await feedbackWorld({ FEEDBACK_SECRET, BASE_DOMAIN: 'mail.example.net' });
  worlds.push(w);
  const reports = [
    fixture('dsn-failed'),
    fixture('dsn-delayed'),
    fixture('arf-abuse'),
    fixture('dsn-failed').replaceAll(MESSAGE_ID, 'never-sent@example.com'),
    'From: a@example.com\r\n\r\nnot a report\r\n',
  ];
  for (const report of reports) {
    expect((await postReport(w, report, FEEDBACK_SECRET)).status).toBe(202);
    w.runtime.clock.advance(MINUTE);
  }
  return w;
}

describe('GET /<region>/20220926/feedbackReports', () => {
  it("lists the tenancy's matched reports newest first, with the suppressions they caused and no raw text", async () => {
    const w = await world();
    const response = await w.request('GET', LIST);
    expect(response.status).toBe(200);
    const items = await json<WireReport[]>(response);
    expect(items.map((r) => [r.kind, r.status, r.messageId])).toEqual([
      ['arf', 'matched', MESSAGE_ID],
      ['dsn', 'matched', MESSAGE_ID],
      ['dsn', 'matched', MESSAGE_ID],
    ]);
    expect(items.map((r) => r.suppressions.map((s) => [s.emailAddress, s.reason]))).toEqual([
      [['angry@example.org', 'COMPLAINT']],
      [],
      [['gone@example.org', 'HARDBOUNCE']],
    ]);
    expect(items[0]?.suppressions[0]?.suppressionId).toMatch(/^ocid1\.emailsuppression\./);
    expect(items.map((r) => r.timeReceived)).toEqual(
      items
        .map((r) => r.timeReceived)
        .sort()
        .reverse(),
    );
    const text = JSON.stringify(items);
    expect(text).not.toContain('excerpt');
    expect(text).not.toContain('Reporting-MTA');
    expect(response.headers.get('opc-next-page')).toBeNull();
    // The unmatched and unparseable reports stay in the store, for the operator only.
    const stored = await w.databases.get(PHX)!.db.select().from(feedbackReports);
    expect(stored.filter((r) => r.tenancyId === null).map((r) => r.status)).toEqual([
      'unmatched',
      'unparseable',
    ]);
  });

  it('pages with limit and a URL-safe opc-next-page, also in the host form', async () => {
    const w = await world();
    const seen: string[] = [];
    let page: string | null = null;
    do {
      const query: string = page === null ? 'limit=2' : `limit=2&page=${page}`;
      const response = await w.request(
        'GET',
        `http://cell0.submit.email.${PHX}.mail.example.net/20220926/feedbackReports?${query}`,
      );
      expect(response.status).toBe(200);
      seen.push(...(await json<WireReport[]>(response)).map((r) => r.id));
      page = response.headers.get('opc-next-page');
      if (page !== null) expect(page).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (page !== null);
    const all = await json<WireReport[]>(await w.request('GET', LIST));
    expect(seen).toEqual(all.map((r) => r.id));
    expect(seen).toHaveLength(3);
  });

  it('refuses a limit outside 1..100 and a forged page token', async () => {
    const w = await world();
    for (const limit of ['0', '101', 'x'])
      await expectOciError(await w.request('GET', `${LIST}?limit=${limit}`), 400, 'InvalidParameter');
    await expectOciError(await w.request('GET', `${LIST}?page=abc`), 400, 'InvalidParameter');
    expect((await w.request('GET', `${LIST}?limit=100`)).status).toBe(200);
  });

  it('shows nothing of another region, and needs a signature', async () => {
    const w = await world();
    expect(await json<unknown[]>(await w.request('GET', `/${IAD}/20220926/feedbackReports`))).toEqual([]);
    expect((await w.app.request(LIST)).status).toBe(401);
  });

  it('needs `manage suppressions in tenancy`: a user without it gets 404, one with it sees the list', async () => {
    const w = await world();
    const nobody = await newUser(w, 'nobody');
    await expectOciError(await w.requestAs(nobody, 'GET', LIST), 404, 'NotAuthorizedOrNotFound');
    const inspectors = await newGroup(w, 'inspectors');
    await newPolicy(w, TENANCY, 'inspect-only', [
      `Allow group ${inspectors.name} to inspect suppressions in tenancy`,
    ]);
    const inspector = await newUser(w, 'inspector', [inspectors.id]);
    await expectOciError(await w.requestAs(inspector, 'GET', LIST), 404, 'NotAuthorizedOrNotFound');
    const managers = await newGroup(w, 'managers');
    await newPolicy(w, TENANCY, 'manage', [`Allow group ${managers.name} to manage suppressions in tenancy`]);
    const manager = await newUser(w, 'manager', [managers.id]);
    const response = await w.requestAs(manager, 'GET', LIST);
    expect(response.status).toBe(200);
    expect(await json<unknown[]>(response)).toHaveLength(3);
  });
});
