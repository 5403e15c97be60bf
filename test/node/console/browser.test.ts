import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import nodemailer from 'nodemailer';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDohServer, type DohServer } from '../spf/doh-server';
import { identityClient, startService, type NodeService } from '../identity/node-service';
import { regionCatalog } from '../../../src/config/region-catalog';
import { BLACKHOLE_DOMAIN } from '../../../src/domain/simulator';
import { PHX } from '../../support/regions';

/** Debian's chromium, installed by .ci/run with apt; never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');
const spfInclude = regionCatalog.find((region) => region.id === PHX)!.spfInclude;

let doh: DohServer;
let service: NodeService;
let browser: Browser;
let password: string;

beforeAll(async () => {
  // CI installs chromium; a machine without it fails here with the path it looked for.
  expect(existsSync(CHROMIUM), `no browser at ${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
  mkdirSync(SCREENSHOTS, { recursive: true });
  doh = await startDohServer({ 'good.example': { TXT: [`v=spf1 include:${spfInclude} ~all`] } });
  service = await startService(
    { DOH_URL: doh.url, SMTP_STARTTLS_PORT: '0', SMTP_TLS_PORT: '0' },
    { smtpIngress: true, deliveryPollMs: 100 },
  );
  const identity = identityClient(service);
  const reset = await identity.createOrResetUIPassword({ userId: service.admin.userId });
  identity.close();
  password = reset.uIPassword.password!;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser.close();
  await service.stop();
  await doh.close();
});

async function serious(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether the element has the keyboard focus (evaluated in the page: this project's types have no DOM). */
const hasFocus = (locator: Locator) =>
  locator.evaluate((element) => element === element.ownerDocument.activeElement);

async function signIn(page: Page, userName = 'admin', userPassword = password): Promise<void> {
  await page.goto(`${service.server.url}/console/sign-in`);
  expect(await serious(page)).toEqual([]);
  await page.getByLabel('User name').fill(userName);
  await page.getByLabel('Password').fill(userPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\/senders/);
}

/** No serious or critical accessibility violation on the page, then its screenshot. */
async function check(page: Page, name: string): Promise<void> {
  expect(await serious(page), name).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const visit = (page: Page, section: string) =>
  page.getByRole('navigation').getByRole('link', { name: section, exact: true }).click();

const shown = (page: Page, role: 'cell' | 'link', name: string) =>
  expect.poll(() => page.getByRole(role, { name, exact: true }).first().isVisible()).toBe(true);

/** Opens a create dialog from the toolbar, fills its fields by label, and creates. */
async function createIn(page: Page, title: string, fields: Record<string, string>): Promise<void> {
  await page.getByRole('link', { name: title }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  for (const [label, value] of Object.entries(fields))
    await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByRole('button', { name: /^(Create|Add Suppression)$/ }).click();
  await page.waitForURL(/done=created/);
}

async function compartmentIdNamed(name: string): Promise<string> {
  const identity = identityClient(service);
  const listed = await identity.listCompartments({ compartmentId: service.admin.tenancyId, name });
  identity.close();
  return listed.items[0]!.id;
}

describe('the console in a real browser (Debian chromium)', () => {
  it('walks the whole guide: identity, SMTP credential, senders, SPF, a mail over SMTP, a bounce, the suppression', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'senders-empty.png') });

    // Identity: a compartment for the application, a group, a user in it, and the policy that lets it send.
    await visit(page, 'Compartments');
    await createIn(page, 'Create Compartment', { Name: 'Apps', Description: 'application mail' });
    await shown(page, 'link', 'Apps');
    await check(page, 'compartments');

    await visit(page, 'Groups');
    await createIn(page, 'Create Group', { Name: 'Senders', Description: 'may send mail' });
    await shown(page, 'link', 'Senders');
    await check(page, 'groups');

    await visit(page, 'Users');
    await createIn(page, 'Create User', { Name: 'mailer', Description: 'the shop application' });
    await page.getByRole('link', { name: 'mailer', exact: true }).click();
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Senders' });
    await page.getByRole('button', { name: 'Add User to Group' }).click();
    await shown(page, 'link', 'Senders');
    await page.getByLabel('Description').fill('shop over SMTP');
    await page.getByRole('button', { name: 'Generate SMTP Credentials' }).click();
    const smtpUser = (await page.locator('#new-username').textContent())!;
    const smtpPassword = (await page.locator('#new-password').textContent())!;
    expect(smtpPassword).toMatch(/^\S{20,}$/);
    await check(page, 'user-smtp-credentials');

    await visit(page, 'Policies');
    await page.getByRole('link', { name: 'Create Policy' }).click();
    let dialog = page.getByRole('dialog', { name: 'Create Policy' });
    await dialog.getByLabel('Name').fill('SendersPolicy');
    await dialog.getByLabel('Description').fill('who may send');
    await dialog
      .getByLabel('Statements')
      .fill('Allow group Sendrs to use approved-senders in compartment Apps');
    await dialog.getByRole('button', { name: 'Create' }).click();
    dialog = page.getByRole('dialog', { name: 'Create Policy' });
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Line 1, column 13');
    // The caret sits at the wrong name, ready to be corrected.
    expect(await page.evaluate<number>('document.activeElement?.selectionStart ?? -1')).toBe(12);
    await check(page, 'policy-error');
    await dialog
      .getByLabel('Statements')
      .fill(
        'Allow group Senders to use approved-senders in compartment Apps\nAllow group Senders to inspect suppressions in tenancy',
      );
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/done=created/);
    await shown(page, 'link', 'SendersPolicy');
    await check(page, 'policies');
    await page.getByRole('link', { name: 'SendersPolicy', exact: true }).click();
    expect(await page.getByLabel('Statements').inputValue()).toContain('inspect suppressions in tenancy');
    await check(page, 'policy');
    await visit(page, 'Users');
    await check(page, 'users');
    await visit(page, 'Groups');
    await page.getByRole('link', { name: 'Senders', exact: true }).click();
    await shown(page, 'link', 'mailer');
    await check(page, 'group-members');

    // Approved senders in the new compartment, the duplicate's message, and View SPF for both domains.
    await visit(page, 'Approved Senders');
    await page.getByLabel('Compartment').selectOption({ label: 'Apps' });
    await page.getByRole('button', { name: 'Change' }).click();
    for (const address of ['app@good.example', 'app@none.example']) {
      await createIn(page, 'Create Approved Sender', { 'Email address': address });
    }
    await shown(page, 'cell', 'app@none.example');
    await check(page, 'senders-list');
    await page.getByRole('link', { name: 'Create Approved Sender' }).click();
    dialog = page.getByRole('dialog', { name: 'Create Approved Sender' });
    await dialog.getByLabel('Email address').fill('app@good.example');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('already exists');
    await check(page, 'sender-duplicate');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await page.getByLabel('Select app@good.example').check();
    await page.getByLabel('Select app@none.example').check();
    await page.getByRole('button', { name: 'View SPF' }).click();
    const spf = page.getByRole('dialog', { name: 'Manage SPF' });
    await expect.poll(() => spf.isVisible()).toBe(true);
    expect(await spf.textContent()).toContain(`v=spf1 include:${spfInclude} ~all`);
    // One domain authorizes the region already; the other gets both records to publish.
    expect(await spf.getByRole('button', { name: /^Copy/ }).count()).toBe(2);
    await check(page, 'manage-spf');
    await spf.getByRole('link', { name: 'Close' }).click();

    // The application sends through the SMTP ingress with the credential: one reader, one simulated bounce.
    const smtp = service.server.smtp.find((address) => address.region === PHX)!;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtp.starttlsPort,
      requireTLS: true,
      tls: { ca: readFileSync(join(service.dataDir, 'tls', 'ca-cert.pem'), 'utf8'), servername: 'localhost' },
      auth: { user: smtpUser, pass: smtpPassword },
    });
    const sent = await transport.sendMail({
      from: 'Shop <app@good.example>',
      to: ['reader@example.net', `bounce@${BLACKHOLE_DOMAIN}`],
      subject: 'Seen in the console',
      text: 'Hello from the browser test.',
    });
    transport.close();
    expect(sent.response).toMatch(/^250 /);

    await visit(page, 'Messages');
    await page.getByLabel('Message-ID').fill(sent.messageId);
    await page.getByRole('button', { name: 'Search' }).click();
    await shown(page, 'cell', 'reader@example.net');
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByRole('link', { name: 'Open' }).count();
      })
      .toBeGreaterThan(0);
    await check(page, 'messages');
    await page.getByRole('link', { name: 'Open' }).first().click();
    expect(await page.locator('pre.message').textContent()).toContain('Subject: Seen in the console');
    await check(page, 'mailbox-copy');

    // The simulator's bounce turned into a suppression, with its reason.
    await visit(page, 'Suppression List');
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByRole('cell', { name: `bounce@${BLACKHOLE_DOMAIN}`, exact: true }).count();
      })
      .toBe(1);
    expect(
      await page.getByRole('row', { name: new RegExp(`bounce@${BLACKHOLE_DOMAIN}`) }).textContent(),
    ).toContain('HARDBOUNCE');
    await page.getByRole('link', { name: 'Add Suppression' }).click();
    const add = page.getByRole('dialog', { name: 'Add Suppression' });
    await add.getByLabel('Email address').fill('bounced@example.net');
    await add.getByRole('button', { name: 'Add Suppression' }).click();
    await shown(page, 'cell', 'bounced@example.net');
    await check(page, 'suppressions');

    await visit(page, 'Email Configuration');
    await check(page, 'configuration');

    // A user without the policy, signed in with the console password the administrator made, sees nothing.
    await visit(page, 'Users');
    await createIn(page, 'Create User', { Name: 'outsider', Description: 'in no group' });
    await page.getByRole('link', { name: 'outsider', exact: true }).click();
    await page.getByRole('button', { name: 'Create/Reset Password' }).click();
    const outsiderPassword = (await page.locator('#new-password').textContent())!;
    await page.close();

    const outsider = await (await browser.newContext()).newPage();
    await signIn(outsider, 'outsider', outsiderPassword);
    const apps = await compartmentIdNamed('Apps');
    for (const path of [
      `/console/senders?region=${PHX}&compartment=${apps}`,
      `/console/senders?region=${PHX}`,
      `/console/suppressions?region=${PHX}`,
      `/console/messages?region=${PHX}&id=${encodeURIComponent(sent.messageId)}`,
      `/console/compartments?region=${PHX}`,
      `/console/users?region=${PHX}`,
      `/console/groups?region=${PHX}`,
      `/console/policies?region=${PHX}&compartment=${apps}`,
    ]) {
      await outsider.goto(`${service.server.url}${path}`);
      const text = (await outsider.locator('main').textContent()) ?? '';
      expect(text, path).toContain('Not found, or you may not see it.');
      for (const secret of ['app@good.example', 'reader@example.net', 'bounce@', 'mailer', 'SendersPolicy'])
        expect(text, `${path} shows ${secret}`).not.toContain(secret);
      expect(await serious(outsider)).toEqual([]);
    }
    expect(await outsider.getByLabel('Compartment').textContent()).not.toContain('Apps');
    await outsider.screenshot({ path: join(SCREENSHOTS, 'outsider-senders.png'), fullPage: true });
    await outsider.close();
  }, 120_000);

  it('creates a sender and opens View SPF with the keyboard alone', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page);
    const focused = () => page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
    for (let i = 0; i < 30 && (await focused()) !== 'Create Approved Sender'; i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('Create Approved Sender');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create Approved Sender' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // The modal dialog holds the focus: its field is focused and typing goes there.
    await page.keyboard.type('keys@good.example');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=created/);

    const checkbox = page.getByLabel('Select keys@good.example');
    for (let i = 0; i < 60 && !(await hasFocus(checkbox)); i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Space');
    expect(await checkbox.isChecked()).toBe(true);
    const viewSpf = page.getByRole('button', { name: 'View SPF' });
    for (let i = 0; i < 60 && !(await hasFocus(viewSpf)); i++) {
      await page.keyboard.press('Shift+Tab');
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog', { name: 'Manage SPF' }).isVisible()).toBe(true);
    await page.close();
  }, 60_000);
});
