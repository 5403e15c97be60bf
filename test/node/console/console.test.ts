import { afterEach, describe, expect, it } from 'vitest';
import { regionCatalog } from '../../../src/config/region-catalog';
import { SESSION_COOKIE } from '../../../src/http/console/session';
import { CONSOLE_CSS, CONSOLE_JS } from '../../../src/http/console/assets';
import { startDohServer, type DohServer } from '../spf/doh-server';
import { Browser, consoleWorld, PHX, signedIn } from './console-world';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();
const spfInclude = regionCatalog.find((region) => region.id === PHX)!.spfInclude;

async function world(overrides: Parameters<typeof consoleWorld>[0] = {}) {
  const made = await consoleWorld(overrides);
  cleanup.push(() => made.world.close());
  return made;
}

async function createSender(browser: Browser, address: string): Promise<Response> {
  const page = await (await browser.get(`/console/senders?region=${PHX}`)).text();
  return browser.post('/console/senders', {
    _csrf: Browser.csrfOf(page),
    region: PHX,
    emailAddress: address,
  });
}

describe('console sign-in and sessions', () => {
  it('sends a visitor without a session to sign in, and signs in with the UI password', async () => {
    const { world: w, password } = await world();
    const visitor = new Browser(w);
    const page = await visitor.get('/console/senders');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/sign-in?ended=1');
    const form = await visitor.get('/console/sign-in');
    expect(form.status).toBe(200);
    expect(form.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(form.headers.get('x-frame-options')).toBe('DENY');
    expect(await form.text()).toContain('<form method="post" action="/console/sign-in">');

    const browser = await signedIn(w, password);
    const cookie = browser.cookie(SESSION_COOKIE);
    expect(cookie).toBeTruthy();
    const senders = await browser.get(`/console/senders?region=${PHX}`);
    expect(senders.status).toBe(200);
    const html = await senders.text();
    expect(html).toContain('<h1>Approved Senders</h1>');
    expect(html).not.toContain(password);
  });

  it('refuses a wrong password with one message for every cause, then throttles', async () => {
    const { world: w } = await world();
    const browser = new Browser(w);
    const unknown = await browser.post('/console/sign-in', { userName: 'nobody', password: 'x' });
    expect(unknown.status).toBe(401);
    const unknownText = await unknown.text();
    for (let i = 0; i < 4; i++) {
      const wrong = await browser.post('/console/sign-in', { userName: 'admin', password: `wrong-${i}` });
      expect(wrong.status).toBe(401);
      // One answer whatever the cause: the page does not say which user names exist.
      expect((await wrong.text()).replace(/value="[^"]*"/, '')).toBe(
        unknownText.replace(/value="[^"]*"/, ''),
      );
    }
    const throttled = await browser.post('/console/sign-in', { userName: 'admin', password: 'still wrong' });
    expect(throttled.status).toBe(429);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
  });

  it('signs out on a tampered, idle or signed-out session cookie', async () => {
    const { world: w, password } = await world();
    const browser = await signedIn(w, password);
    const good = browser.cookie(SESSION_COOKIE)!;
    browser.setCookie(SESSION_COOKIE, `${good.slice(0, -2)}AA`);
    expect((await browser.get('/console/senders')).headers.get('location')).toBe('/console/sign-in?ended=1');

    browser.setCookie(SESSION_COOKIE, good);
    expect((await browser.get('/console/senders')).status).toBe(200);
    w.runtime.clock.advance(31 * 60_000);
    expect((await browser.get('/console/senders')).status).toBe(303);

    const again = await signedIn(w, password);
    const page = await (await again.get('/console/senders')).text();
    const out = await again.post('/console/sign-out', { _csrf: Browser.csrfOf(page) });
    expect(out.headers.get('location')).toBe('/console/sign-in?out=1');
    expect(again.cookie(SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a form without its CSRF token, or posted from another site, and changes nothing', async () => {
    const { world: w, password } = await world();
    const browser = await signedIn(w, password);
    const page = await (await browser.get(`/console/senders?region=${PHX}`)).text();
    const token = Browser.csrfOf(page);
    const missing = await browser.post('/console/senders', { region: PHX, emailAddress: 'a@example.com' });
    expect(missing.status).toBe(403);
    const forged = await browser.post(
      '/console/senders',
      { _csrf: token, region: PHX, emailAddress: 'a@example.com' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(forged.status).toBe(403);
    const other = await signedIn(w, password);
    const stolen = await other.post('/console/senders', {
      _csrf: `${token}x`,
      region: PHX,
      emailAddress: 'a@example.com',
    });
    expect(stolen.status).toBe(403);
    expect(await (await browser.get(`/console/senders?region=${PHX}`)).text()).not.toContain('a@example.com');
  });
});

describe('console pages', () => {
  it('creates, searches, sorts and deletes approved senders; a duplicate says so plainly', async () => {
    const { world: w, password } = await world();
    const browser = await signedIn(w, password);
    for (const address of ['b@one.example', 'a@one.example', 'c@two.example']) {
      const created = await createSender(browser, address);
      expect(created.status).toBe(303);
      w.runtime.clock.advance(1_000);
    }
    const duplicate = await createSender(browser, 'a@one.example');
    expect(duplicate.status).toBe(200);
    const duplicateHtml = await duplicate.text();
    expect(duplicateHtml).toContain('already exists');
    expect(duplicateHtml).toMatch(/<dialog[^>]*id="create-sender"[^>]*open/);

    const order = (html: string) => [...html.matchAll(/<td>([a-z]@[a-z]+\.example)<\/td>/g)].map((m) => m[1]);
    const desc = await (await browser.get(`/console/senders?region=${PHX}&sort=address-desc`)).text();
    expect(order(desc)).toEqual(['c@two.example', 'b@one.example', 'a@one.example']);
    const oldest = await (await browser.get(`/console/senders?region=${PHX}&sort=oldest`)).text();
    expect(order(oldest)).toEqual(['b@one.example', 'a@one.example', 'c@two.example']);
    const odd = await (await browser.get(`/console/senders?region=${PHX}&sort=toString`)).text();
    expect(odd).toContain('<option value="newest" selected="">');
    expect(order(odd)).toEqual(['c@two.example', 'a@one.example', 'b@one.example']);
    const byDomain = await (await browser.get(`/console/senders?region=${PHX}&q=two.example`)).text();
    expect(order(byDomain)).toEqual(['c@two.example']);

    const id = /action="\/console\/senders\/([^/]+)\/delete"/.exec(byDomain)![1]!;
    const deleted = await browser.post(`/console/senders/${id}/delete`, {
      _csrf: Browser.csrfOf(byDomain),
      region: PHX,
    });
    expect(deleted.status).toBe(303);
    expect(order(await (await browser.get(`/console/senders?region=${PHX}`)).text())).toEqual([
      'a@one.example',
      'b@one.example',
    ]);
  });

  it('shows Manage SPF for the ticked senders: what each domain publishes and the records to publish', async () => {
    const doh: DohServer = await startDohServer({
      'good.example': { TXT: [`v=spf1 include:${spfInclude} ~all`] },
    });
    cleanup.push(() => doh.close());
    const { world: w, password } = await world({ DOH_URL: doh.url });
    const browser = await signedIn(w, password);
    await createSender(browser, 'app@good.example');
    await createSender(browser, 'app@none.example');
    const page = await (await browser.get(`/console/senders?region=${PHX}`)).text();
    const ids = [...page.matchAll(/name="sender" value="([^"]+)"/g)].map((m) => m[1]!);
    const spf = await browser.get(
      `/console/senders/spf?region=${PHX}&${ids.map((id) => `sender=${id}`).join('&')}`,
    );
    const html = await spf.text();
    expect(html).toContain('Manage SPF');
    expect(html).toContain('good.example');
    expect(html).toContain('none.example');
    expect(html).toContain(`v=spf1 include:${spfInclude} ~all`);
    const everyRegion = `v=spf1 ${[...new Set(regionCatalog.map((r) => r.spfInclude))].map((h) => `include:${h}`).join(' ')} ~all`;
    expect(html).toContain(everyRegion);
    // The good domain needs nothing: records to publish appear once, for the other.
    expect(html.split('data-copy=').length - 1).toBe(2);
  });

  it('adds, lists and deletes suppressions, with the reason of each', async () => {
    const { world: w, password } = await world();
    const browser = await signedIn(w, password);
    const page = await (await browser.get(`/console/suppressions?region=${PHX}`)).text();
    const added = await browser.post('/console/suppressions', {
      _csrf: Browser.csrfOf(page),
      region: PHX,
      emailAddress: 'Someone@Example.net',
    });
    expect(added.status).toBe(303);
    const list = await (await browser.get(`/console/suppressions?region=${PHX}`)).text();
    expect(list).toContain('<td>someone@example.net</td>');
    expect(list).toContain('<td>MANUAL</td>');
    const bad = await browser.post('/console/suppressions', {
      _csrf: Browser.csrfOf(list),
      region: PHX,
      emailAddress: 'not an address',
    });
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain('role="alert"');
  });

  it('shows the email configuration, speaks Japanese when asked, and keeps each page small', async () => {
    const { world: w, password } = await world();
    const browser = await signedIn(w, password);
    const config = await (await browser.get(`/console/configuration?region=${PHX}`)).text();
    expect(config).toContain(`http://127.0.0.1/${PHX}`);
    const ja = await browser.get(`/console/senders?region=${PHX}`, { 'accept-language': 'ja,en;q=0.5' });
    const jaHtml = await ja.text();
    expect(jaHtml).toContain('<html lang="ja">');
    expect(jaHtml).toContain('承認済送信者');
    const chosen = await browser.get(`/console/senders?region=${PHX}&lang=en`, { 'accept-language': 'ja' });
    expect(await chosen.text()).toContain('<html lang="en">');
    const sizes = [jaHtml, config].map((html) => html.length + CONSOLE_CSS.length + CONSOLE_JS.length);
    expect(Math.max(...sizes)).toBeLessThan(100 * 1024);
  });

  it('looks a message up by its Message-ID: each recipient and its state', async () => {
    const { world: w, password } = await world();
    const browser = await signedIn(w, password);
    await createSender(browser, 'app@lookup.example');
    const tenancy = (await w.admin()).tenancyId;
    const submitted = await w.request('POST', `/${PHX}/20220926/actions/submitEmail`, {
      sender: { compartmentId: tenancy, senderAddress: { email: 'app@lookup.example' } },
      recipients: { to: [{ email: 'first@example.net' }, { email: 'second@example.net' }] },
      subject: 'lookup',
      bodyText: 'hello',
    });
    expect(submitted.status).toBe(200);
    const { messageId } = (await submitted.json()) as { messageId: string };
    const page = await (
      await browser.get(`/console/messages?region=${PHX}&id=${encodeURIComponent(`<${messageId}>`)}`)
    ).text();
    expect(page).toContain('<td>first@example.net</td>');
    expect(page).toContain('<td>second@example.net</td>');
    expect(page).toContain('<td>QUEUED</td>');
    const unknown = await (
      await browser.get(`/console/messages?region=${PHX}&id=nothing@example.net`)
    ).text();
    expect(unknown).toContain('Not found, or you may not see it.');
  });

  it('creates a user and generates its SMTP credentials: the password once, at most two', async () => {
    const { world: w, password } = await world();
    const browser = await signedIn(w, password);
    const users = await (await browser.get(`/console/users?region=${PHX}`)).text();
    const created = await browser.post(`/console/users?region=${PHX}`, {
      _csrf: Browser.csrfOf(users),
      name: 'shop-app',
      description: 'the shop',
    });
    expect(created.status).toBe(303);
    const listed = await (await browser.get(`/console/users?region=${PHX}`)).text();
    const userPath = /href="(\/console\/users\/[^"?]+)\?[^"]*">shop-app</.exec(listed)![1]!;
    const page = await (await browser.get(`${userPath}?region=${PHX}`)).text();
    expect(page).toContain('This user has no SMTP credentials.');
    const passwords: string[] = [];
    for (const description of ['first', 'second']) {
      const made = await (
        await browser.post(`${userPath}/smtp-credentials?region=${PHX}`, {
          _csrf: Browser.csrfOf(page),
          description,
        })
      ).text();
      const shown = /<code id="new-password"[^>]*>([^<]+)<\/code>/.exec(made)?.[1];
      expect(shown).toMatch(/^\S{20,}$/);
      passwords.push(shown!);
    }
    const third = await (
      await browser.post(`${userPath}/smtp-credentials?region=${PHX}`, {
        _csrf: Browser.csrfOf(page),
        description: 'third',
      })
    ).text();
    expect(third).toContain('at most 2 SMTP credentials');
    const again = await (await browser.get(`${userPath}?region=${PHX}`)).text();
    for (const shown of passwords) expect(again).not.toContain(shown);
    expect(again.match(/<td>first<\/td>|<td>second<\/td>/g)).toHaveLength(2);
    const deleteAction = /action="([^"]+\/delete[^"]*)"/.exec(again)![1]!.replaceAll('&amp;', '&');
    const deleted = await (await browser.post(deleteAction, { _csrf: Browser.csrfOf(again) })).text();
    expect(deleted).toContain('The SMTP credential was deleted.');
  });

  it('shows a user without the policy nothing it may not see', async () => {
    const { world: w, password } = await world();
    const admin = await signedIn(w, password);
    await createSender(admin, 'secret@hidden.example');
    const user = await w.request('POST', '/20160918/users', {
      compartmentId: (await w.admin()).tenancyId,
      name: 'viewer',
      description: 'no policy',
    });
    const { id } = (await user.json()) as { id: string };
    const reset = await w.request('POST', `/20160918/users/${id}/uiPassword`);
    const { password: viewerPassword } = (await reset.json()) as { password: string };
    const viewer = await signedIn(w, viewerPassword, 'viewer');
    const html = await (await viewer.get(`/console/senders?region=${PHX}`)).text();
    expect(html).not.toContain('secret@hidden.example');
    expect(html).toContain('Not found, or you may not see it.');
  });
});

afterEach(() => undefined);
