import { afterEach, describe, expect, it } from 'vitest';
import { unsubscribeTokens, type UnsubscribeClaims } from '../../../src/domain/feedback/unsubscribe-token';
import { systemRandomBytes } from '../../../src/platform/system';
import { suppressions } from '../../../src/store/schema';
import {
  alteredTokens,
  expectOpaque,
  VECTOR_CLAIMS,
  VECTOR_SECRET,
  VECTOR_TOKEN,
} from '../../support/unsubscribe-tokens';
import { createWorld, IAD, PHX, TENANCY, type World } from '../../support/world';

const SECRET = 'a-test-unsubscribe-secret-of-32-characters';
const OTHER_SECRET = 'another-secret-that-is-32-characters-long';
const ONE_CLICK = 'List-Unsubscribe=One-Click';
const sealer = (secret = SECRET) => unsubscribeTokens(secret, systemRandomBytes);
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
    const token = await sealer().seal(claims());
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
    const token = await sealer().seal(claims());
    expect((await post(w, token)).status).toBe(200);
    const before = await rows(w);
    w.runtime.clock.advance(60_000);
    expect((await post(w, token)).status).toBe(200);
    expect(await rows(w)).toEqual(before);
  });

  it('refuses an altered, truncated or foreign-secret token and writes nothing', async () => {
    const w = world();
    const good = await sealer().seal(claims());
    const forged = [
      ...alteredTokens(good),
      await sealer(OTHER_SECRET).seal(claims()),
      'u1.x.y',
      'nonsense',
      'a'.repeat(5_000),
    ];
    for (const token of forged) {
      const response = await post(w, token);
      expect([404, 400], token.slice(0, 40)).toContain(response.status);
    }
    expect(await rows(w)).toEqual([]);
    expect((await post(w, good)).status).toBe(200);
  });

  it('refuses a body other than List-Unsubscribe=One-Click', async () => {
    const w = world();
    const token = await sealer().seal(claims());
    expect((await post(w, token, 'List-Unsubscribe=Maybe')).status).toBe(400);
    expect((await post(w, token, 'x'.repeat(4_096))).status).toBe(413);
    expect(await rows(w)).toEqual([]);
  });

  it('GET shows a confirm form that POSTs, and changes nothing', async () => {
    const w = world();
    const token = await sealer().seal(claims({ sender: '<b>x</b>@example.com' }));
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
    expect((await post(w, await sealer().seal(claims()))).status).toBe(404);
  });
});

describe('unsubscribe tokens are opaque', () => {
  it('reveal none of their claims, in any encoding, and stay short enough for a header', async () => {
    const plain = claims({
      recipient: 'reader.private@example.net',
      messageId: '0123456789abcdef@mail.example.com',
    });
    expectOpaque(await sealer().seal(plain), plain);
  });

  it('open with the same secret in a fresh instance (a restart), and only with it', async () => {
    const token = await sealer().seal(claims());
    expect(await sealer().open(token)).toEqual(claims());
    expect(await sealer(OTHER_SECRET).open(token)).toBeUndefined();
    expect(await sealer(VECTOR_SECRET).open(VECTOR_TOKEN)).toEqual(VECTOR_CLAIMS);
    // A fresh nonce per token: the same claims never give the same token twice.
    expect(await sealer().seal(claims())).not.toBe(token);
  });
});
