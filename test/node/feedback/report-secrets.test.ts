import { afterEach, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../src/config/settings';
import { feedbackReports, suppressions } from '../../../src/store/schema';
import { IAD, PHX, type World } from '../../support/world';
import {
  FEEDBACK_SECRET,
  feedbackWorld,
  fixture,
  IAD_SECRET,
  PHX_SECRET,
  postReport,
} from './feedback-world';

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

async function world(settings: Parameters<typeof feedbackWorld>[0]): Promise<World> {
  const w = await feedbackWorld(settings);
  worlds.push(w);
  return w;
}

const rows = (w: World, region: string) => ({
  suppressions: () => w.databases.get(region)!.db.select().from(suppressions),
  reports: () => w.databases.get(region)!.db.select().from(feedbackReports),
});

describe('each region has its own feedback secret', () => {
  it("takes a region's own secret there and refuses it in another region", async () => {
    const w = await world({ FEEDBACK_SECRET_PHX: PHX_SECRET, FEEDBACK_SECRET_IAD: IAD_SECRET });
    expect((await postReport(w, fixture('dsn-failed'), IAD_SECRET, PHX)).status).toBe(401);
    expect((await postReport(w, fixture('dsn-failed'), PHX_SECRET, IAD)).status).toBe(401);
    expect(await rows(w, PHX).reports()).toEqual([]);
    expect(await rows(w, IAD).reports()).toEqual([]);

    expect((await postReport(w, fixture('dsn-failed'), PHX_SECRET, PHX)).status).toBe(202);
    expect((await postReport(w, fixture('dsn-failed'), IAD_SECRET, IAD)).status).toBe(202);
    expect(await rows(w, PHX).suppressions()).toEqual([
      expect.objectContaining({ emailAddress: 'gone@example.org', reason: 'HARDBOUNCE' }),
    ]);
    expect(await rows(w, IAD).reports()).toHaveLength(1);
  });

  it('falls back to FEEDBACK_SECRET only where a region has no secret of its own', async () => {
    const w = await world({ FEEDBACK_SECRET, FEEDBACK_SECRET_PHX: PHX_SECRET });
    expect((await postReport(w, fixture('dsn-failed'), FEEDBACK_SECRET, PHX)).status).toBe(401);
    expect((await postReport(w, fixture('dsn-failed'), FEEDBACK_SECRET, IAD)).status).toBe(202);
    expect((await postReport(w, fixture('dsn-failed'), PHX_SECRET, IAD)).status).toBe(401);
    expect((await postReport(w, fixture('dsn-failed'), PHX_SECRET, PHX)).status).toBe(202);
  });

  it('refuses every report when no secret is configured, with an OCI error that names no secret', async () => {
    const w = await world({});
    const response = await postReport(w, fixture('dsn-failed'), PHX_SECRET, PHX);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('NotAuthenticated');
    expect(body.message).not.toContain(PHX_SECRET);
  });

  it('refuses a region secret shorter than 32 characters at start', () => {
    expect(() => settingsSchema.parse({ FEEDBACK_SECRET_PHX: 'short' })).toThrow(/FEEDBACK_SECRET_PHX/);
  });
});

describe('the host form', () => {
  const host = (region: string) => `http://cell0.submit.email.${region}.mail.example.net/20220926/feedback`;

  it('takes reports at cell0.submit.email.<region>.<BASE_DOMAIN>/20220926/feedback with that region’s secret', async () => {
    const w = await world({
      BASE_DOMAIN: 'mail.example.net',
      FEEDBACK_SECRET_PHX: PHX_SECRET,
      FEEDBACK_SECRET_IAD: IAD_SECRET,
    });
    expect((await postReport(w, fixture('dsn-failed'), IAD_SECRET, host(PHX))).status).toBe(401);
    const response = await postReport(w, fixture('dsn-failed'), PHX_SECRET, host(PHX));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ kind: 'dsn', status: 'matched', applied: 1 });
    expect(await rows(w, PHX).suppressions()).toHaveLength(1);
    expect(await rows(w, IAD).reports()).toEqual([]);
  });

  it('is not served without BASE_DOMAIN, nor for a host outside it', async () => {
    const plain = await world({ FEEDBACK_SECRET_PHX: PHX_SECRET });
    expect((await postReport(plain, fixture('dsn-failed'), PHX_SECRET, host(PHX))).status).not.toBe(202);
    const w = await world({ BASE_DOMAIN: 'other.example.net', FEEDBACK_SECRET_PHX: PHX_SECRET });
    expect((await postReport(w, fixture('dsn-failed'), PHX_SECRET, host(PHX))).status).toBe(404);
    expect(await rows(w, PHX).reports()).toEqual([]);
    expect(await rows(plain, PHX).reports()).toEqual([]);
  });
});
