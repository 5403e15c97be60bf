import { afterEach, describe, expect, it } from 'vitest';
import { unsubscribeTokens, type UnsubscribeClaims } from '../../../src/domain/feedback/unsubscribe-token';
import { suppressions } from '../../../src/store/schema';
import { createWorld, IAD, PHX, TENANCY, type World } from '../../support/world';

const SECRET = 'a-test-unsubscribe-secret-of-32-characters';
const ONE_CLICK = 'List-Unsubscribe=One-Click';
const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

function world(): World {
  const w = createWorld({ UNSUBSCRIBE_SECRET: SECRET, PUBLIC_BASE_URL: 'https://mail.example.test' });
  worlds.push(w);
  return w;
}

const claims = (overrides: Partial<UnsubscribeClaims> = {}): UnsubscribeClaims => ({
  region: PHX,
  tenancyId: TENANCY,
  recipient: 'reader@example.net',
  sender: 'news@example.com',
  messageId: 'abc@example.com',
  ...overrides,
});

const post = (w: World, token: string, body = ONE_CLICK) =>
  w.app.request(`/unsubscribe/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

async function rows(w: World, region = PHX) {
  await w.deps.regions.open(region);
  return w.databases.get(region)!.db.select().from(suppressions);
}

describe('one-click unsubscribe (RFC 8058)', () => {
  it('POST List-Unsubscribe=One-Click suppresses the recipient in the token region only, with 200', async () => {
    const w = world();
    const token = await unsubscribeTokens(SECRET).sign(claims());
    const response = await post(w, token);
    expect(response.status).toBe(200);
    expect(await rows(w)).toEqual([
      expect.objectContaining({
        tenancyId: TENANCY,
        emailAddress: 'reader@example.net',
        reason: 'UNSUBSCRIBE',
        messageId: 'abc@example.com',
      }),
    ]);
    expect(await rows(w, IAD)).toEqual([]);
    expect(w.runtime.logger.entries).toContainEqual(
      expect.objectContaining({
        event: 'suppression.added',
        fields: expect.objectContaining({ reason: 'UNSUBSCRIBE' }),
      }),
    );
    const listed = await w.request('GET', `/${PHX}/20170907/suppressions?compartmentId=${TENANCY}`);
    expect(((await listed.json()) as { emailAddress: string }[]).map((s) => s.emailAddress)).toEqual([
      'reader@example.net',
    ]);
  });

  it('a replayed POST answers 200 again and writes nothing new', async () => {
    const w = world();
    const token = await unsubscribeTokens(SECRET).sign(claims());
    expect((await post(w, token)).status).toBe(200);
    const before = await rows(w);
    w.runtime.clock.advance(60_000);
    expect((await post(w, token)).status).toBe(200);
    expect(await rows(w)).toEqual(before);
  });

  it('refuses a forged, altered or foreign-secret token and writes nothing', async () => {
    const w = world();
    const good = await unsubscribeTokens(SECRET).sign(claims());
    const [version, payload, mac] = good.split('.');
    const otherPayload = (
      await unsubscribeTokens(SECRET).sign(claims({ recipient: 'victim@example.net' }))
    ).split('.')[1];
    const forged = [
      `${version}.${otherPayload}.${mac}`,
      `${version}.${payload}.${mac!.slice(0, -2)}AA`,
      await unsubscribeTokens('another-secret-that-is-32-characters-long').sign(claims()),
      'u1.x.y',
      'nonsense',
      'a'.repeat(5_000),
    ];
    for (const token of forged) {
      const response = await post(w, token);
      expect([404, 400], token.slice(0, 40)).toContain(response.status);
    }
    expect(await rows(w)).toEqual([]);
  });

  it('refuses a body other than List-Unsubscribe=One-Click', async () => {
    const w = world();
    const token = await unsubscribeTokens(SECRET).sign(claims());
    expect((await post(w, token, 'List-Unsubscribe=Maybe')).status).toBe(400);
    expect((await post(w, token, 'x'.repeat(4_096))).status).toBe(413);
    expect(await rows(w)).toEqual([]);
  });

  it('GET shows a confirm form that POSTs, and changes nothing', async () => {
    const w = world();
    const token = await unsubscribeTokens(SECRET).sign(claims({ sender: '<b>x</b>@example.com' }));
    const response = await w.app.request(`/unsubscribe/${token}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page).not.toContain('<b>x</b>');
    expect(await rows(w)).toEqual([]);
  });

  it('refuses every token when no secret is configured', async () => {
    const w = createWorld();
    worlds.push(w);
    expect((await post(w, await unsubscribeTokens(SECRET).sign(claims()))).status).toBe(404);
  });
});
