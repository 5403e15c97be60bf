import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { CONSOLE_CSS, CONSOLE_JS } from '../../../src/http/console/assets';
import { Browser, consoleWorld, PHX, signedIn } from './console-world';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();

async function admin() {
  const made = await consoleWorld();
  cleanup.push(() => made.world.close());
  return { world: made.world, browser: await signedIn(made.world, made.password) };
}

/** Posts a form of `page` (its CSRF token and the region) and answers the reply's page, following a redirect. */
async function submit(browser: Browser, from: string, action: string, form: Record<string, string>) {
  const page = await (await browser.get(from)).text();
  const response = await browser.post(action, { _csrf: Browser.csrfOf(page), region: PHX, ...form });
  const location = response.headers.get('location');
  return {
    status: response.status,
    html: location ? await (await browser.get(location)).text() : await response.text(),
  };
}

const linkTo = (html: string, name: string) =>
  new RegExp(`href="(/console/[a-z]+/[^"?]+)\\?[^"]*">${name}<`).exec(html)?.[1];
const unescape = (html: string) =>
  html.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&#39;', "'");

describe('console identity pages', () => {
  it('creates a compartment, a group and a user, and puts the user in the group and takes it out', async () => {
    const { browser } = await admin();
    const compartments = `/console/compartments?region=${PHX}`;
    const made = await submit(browser, compartments, '/console/compartments', {
      name: 'Apps',
      description: 'application mail',
    });
    expect(made.html).toContain('The compartment was created.');
    expect(made.html).toMatch(/<td><a href="[^"]+">Apps<\/a><\/td>/);
    expect(made.html).toMatch(/<option value="ocid1\.compartment\.[^"]+">Apps<\/option>/);
    const twice = await submit(browser, compartments, '/console/compartments', {
      name: 'Apps',
      description: 'x',
    });
    expect(twice.status).toBe(200);
    expect(twice.html).toMatch(/<dialog[^>]*id="create-compartment"[^>]*open/);
    expect(twice.html).toContain('role="alert"');

    const group = await submit(browser, `/console/groups?region=${PHX}`, '/console/groups', {
      name: 'Senders',
      description: 'may send',
    });
    expect(group.html).toContain('The group was created.');
    const user = await submit(browser, `/console/users?region=${PHX}`, '/console/users', {
      name: 'mailer',
      description: 'the shop',
    });
    expect(user.html).toContain('The user was created.');
    const userPath = linkTo(user.html, 'mailer')!;
    const groupPath = linkTo(group.html, 'Senders')!;
    const groupId = groupPath.split('/').pop()!;

    const userPage = await (await browser.get(`${userPath}?region=${PHX}`)).text();
    expect(userPage).toContain('This user is in no group.');
    const added = await submit(browser, `${userPath}?region=${PHX}`, `${userPath}/groups`, { groupId });
    expect(added.html).toContain('The user was added to the group.');
    expect(added.html).toMatch(/<td><a href="\/console\/groups\/[^"]+">Senders<\/a><\/td>/);
    const again = await submit(browser, `${userPath}?region=${PHX}`, `${userPath}/groups`, { groupId });
    expect(again.html).toContain('already a member');

    const members = await (await browser.get(`${groupPath}?region=${PHX}`)).text();
    expect(members).toMatch(/<td><a href="\/console\/users\/[^"]+">mailer<\/a><\/td>/);
    const remove = /action="(\/console\/groups\/[^"]+\/members\/[^"]+\/remove)"/.exec(members)![1]!;
    const removed = await submit(browser, `${groupPath}?region=${PHX}`, remove, {});
    expect(removed.html).toContain('The user was removed from the group.');
    expect(removed.html).toContain('This group has no members.');
  });

  it('uploads and deletes an API key, and refuses what is not one with the reason', async () => {
    const { browser } = await admin();
    const users = await (await browser.get(`/console/users?region=${PHX}`)).text();
    const userPath = linkTo(users, 'admin')!;
    const here = `${userPath}?region=${PHX}`;
    const keys = await generateKeyPair();
    const uploaded = await submit(browser, here, `${userPath}/api-keys`, { key: keys.publicKeyPem });
    expect(uploaded.html).toContain('The API key was added.');
    const fingerprint = /<code>([0-9a-f]{2}(?::[0-9a-f]{2}){15})<\/code>/g;
    const before = [...uploaded.html.matchAll(fingerprint)].map((m) => m[1]);
    expect(before).toHaveLength(2); // the bootstrap key and this one

    const refused = await submit(browser, here, `${userPath}/api-keys`, { key: 'not a key' });
    expect(refused.status).toBe(200);
    expect(refused.html).toMatch(/role="alert">[^<]*(PEM|key)/i);

    const newest = before.find((f) => uploaded.html.indexOf(f!) > 0 && f !== before[0])!;
    const deleted = await submit(
      browser,
      here,
      `${userPath}/api-keys/${encodeURIComponent(newest)}/delete`,
      {},
    );
    expect(deleted.html).toContain('The API key was deleted.');
    expect([...deleted.html.matchAll(fingerprint)]).toHaveLength(1);
  });

  it('gives another user a console password once, with which that user signs in', async () => {
    const { world, browser } = await admin();
    const user = await submit(browser, `/console/users?region=${PHX}`, '/console/users', {
      name: 'reader',
      description: 'reads',
    });
    const userPath = linkTo(user.html, 'reader')!;
    const reset = await submit(browser, `${userPath}?region=${PHX}`, `${userPath}/ui-password`, {});
    const password = /<code id="new-password"[^>]*>([^<]+)<\/code>/.exec(reset.html)![1]!;
    expect(reset.html).toContain('it is shown only this once');
    expect(await (await browser.get(`${userPath}?region=${PHX}`)).text()).not.toContain(password);
    await signedIn(world, unescape(password), 'reader');
  });

  it('creates a policy, shows a wrong statement at its line and column, and edits statements in place', async () => {
    const { browser } = await admin();
    await submit(browser, `/console/groups?region=${PHX}`, '/console/groups', {
      name: 'Senders',
      description: 'may send',
    });
    const policies = `/console/policies?region=${PHX}`;
    const statements = [
      'Allow group Senders to read approved-senders in tenancy',
      '',
      '  Allow group Sendrs to use approved-senders in tenancy',
    ].join('\n');
    const wrong = await submit(browser, policies, '/console/policies', {
      name: 'SendersPolicy',
      description: 'who sends',
      statements,
    });
    expect(wrong.status).toBe(200);
    expect(unescape(wrong.html)).toContain('Line 3, column 15: no group named "Sendrs" in this tenancy');
    expect(wrong.html).toContain('data-error-line="3" data-error-column="15"');
    expect(wrong.html).toContain('aria-invalid="true"');
    // The text area keeps what was typed; the wrong line is quoted with a mark under its column.
    expect(unescape(wrong.html)).toContain(`>${statements}</textarea>`);
    expect(wrong.html).toMatch(/<pre class="statement-mark"> {2}Allow group Sendrs[^\n]*\n {14}\^<\/pre>/);

    const right = await submit(browser, policies, '/console/policies', {
      name: 'SendersPolicy',
      description: 'who sends',
      statements: statements.replace('Sendrs', 'Senders'),
    });
    expect(right.html).toContain('The policy was created.');
    const policyPath = linkTo(right.html, 'SendersPolicy')!;
    const detail = await (await browser.get(`${policyPath}?region=${PHX}`)).text();
    expect(detail).toContain(
      '>Allow group Senders to read approved-senders in tenancy\nAllow group Senders to use approved-senders in tenancy</textarea>',
    );

    const edited = await submit(browser, `${policyPath}?region=${PHX}`, policyPath, {
      statements: 'Allow group Senders to manage approved-senders in tenancy',
    });
    expect(edited.html).toContain('The statements were saved.');
    expect(edited.html).toContain('>Allow group Senders to manage approved-senders in tenancy</textarea>');

    const badVerb = await submit(browser, `${policyPath}?region=${PHX}&lang=ja`, policyPath, {
      statements:
        'Allow group Senders to manage approved-senders in tenancy\nAllow group Senders to fly approved-senders in tenancy',
    });
    expect(badVerb.html).toMatch(/2行目、24列目: /);
    const kept = await (await browser.get(`${policyPath}?region=${PHX}&lang=en`)).text();
    expect(kept).toContain('>Allow group Senders to manage approved-senders in tenancy</textarea>');

    const list = await (await browser.get(policies)).text();
    const remove = /action="(\/console\/policies\/[^"]+\/delete)"/.exec(list)![1]!;
    const deleted = await submit(browser, policies, remove, {});
    expect(deleted.html).toContain('The policy was deleted.');
    expect(deleted.html).toContain('No policies in this compartment.');
  });

  it('renders every page in both languages, each under 100 KB with its stylesheet and script', async () => {
    const { browser } = await admin();
    const pages = [
      'senders',
      'suppressions',
      'configuration',
      'messages',
      'compartments',
      'users',
      'groups',
      'policies',
    ];
    for (const lang of ['en', 'ja'] as const) {
      for (const page of pages) {
        const html = await (await browser.get(`/console/${page}?region=${PHX}&lang=${lang}`)).text();
        expect(html, page).toContain(`<html lang="${lang}">`);
        expect(html.length + CONSOLE_CSS.length + CONSOLE_JS.length, page).toBeLessThan(100 * 1024);
      }
    }
    const ja = await (await browser.get(`/console/policies?region=${PHX}&lang=ja`)).text();
    for (const label of ['コンパートメント', 'ユーザー', 'グループ', 'ポリシーの作成', 'ステートメント'])
      expect(ja).toContain(label);
  });

  it('shows a user without a policy none of the identity pages', async () => {
    const { world, browser } = await admin();
    const user = await submit(browser, `/console/users?region=${PHX}`, '/console/users', {
      name: 'outsider',
      description: 'no policy',
    });
    const userPath = linkTo(user.html, 'outsider')!;
    const reset = await submit(browser, `${userPath}?region=${PHX}`, `${userPath}/ui-password`, {});
    const password = unescape(/<code id="new-password"[^>]*>([^<]+)<\/code>/.exec(reset.html)![1]!);
    const outsider = await signedIn(world, password, 'outsider');
    for (const page of ['compartments', 'users', 'groups', 'policies']) {
      const html = await (await outsider.get(`/console/${page}?region=${PHX}`)).text();
      expect(html, page).toContain('Not found, or you may not see it.');
      expect(html, page).not.toContain('>admin<');
      expect(html, page).not.toContain('Administrators');
    }
    // Their own page: OCI lets users manage their own credentials, and nothing else of anyone's.
    const own = await (await outsider.get(`${userPath}?region=${PHX}`)).text();
    expect(own).toContain('Generate SMTP Credentials');
    const adminPath = linkTo(user.html, 'admin')!;
    const others = await (await outsider.get(`${adminPath}?region=${PHX}`)).text();
    expect(others).toContain('Not found, or you may not see it.');
    expect(others).not.toContain('Fingerprint');
  });
});
