import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDohServer, type DohServer } from '../spf/doh-server';
import { identityClient, startService, type NodeService } from '../identity/node-service';
import { dataClient } from '../submission/submission-service';
import { regionCatalog } from '../../../src/config/region-catalog';
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
  service = await startService({ DOH_URL: doh.url });
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

async function signIn(page: Page): Promise<void> {
  await page.goto(`${service.server.url}/console/sign-in`);
  expect(await serious(page)).toEqual([]);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\/senders/);
}

describe('the console in a real browser (Debian chromium)', () => {
  it('walks the guide: sign in, create a sender, the duplicate, View SPF, add a suppression', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'senders-empty.png') });

    for (const address of ['app@good.example', 'app@none.example']) {
      await page.getByRole('link', { name: 'Create Approved Sender' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create Approved Sender' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await dialog.getByLabel('Email address').fill(address);
      await dialog.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(/done=created/);
    }
    await expect
      .poll(() => page.getByRole('cell', { name: 'app@none.example', exact: true }).isVisible())
      .toBe(true);
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'senders-list.png'), fullPage: true });

    await page.getByRole('link', { name: 'Create Approved Sender' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Approved Sender' });
    await dialog.getByLabel('Email address').fill('app@good.example');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('already exists');
    expect(await serious(page)).toEqual([]);

    await page.goto(`${service.server.url}/console/senders?region=${PHX}`);
    await page.getByLabel('Select app@good.example').check();
    await page.getByLabel('Select app@none.example').check();
    await page.getByRole('button', { name: 'View SPF' }).click();
    const spf = page.getByRole('dialog', { name: 'Manage SPF' });
    await expect.poll(() => spf.isVisible()).toBe(true);
    expect(await spf.textContent()).toContain(`v=spf1 include:${spfInclude} ~all`);
    expect(await spf.getByRole('button', { name: /^Copy/ }).count()).toBe(2);
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'manage-spf.png'), fullPage: true });

    await spf.getByRole('link', { name: 'Close' }).click();
    await page.getByRole('link', { name: 'Suppression List' }).click();
    await page.getByRole('link', { name: 'Add Suppression' }).click();
    const add = page.getByRole('dialog', { name: 'Add Suppression' });
    await add.getByLabel('Email address').fill('bounced@example.net');
    await add.getByRole('button', { name: 'Add Suppression' }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: 'bounced@example.net', exact: true }).isVisible())
      .toBe(true);
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'suppressions.png'), fullPage: true });

    await page.getByRole('link', { name: 'Email Configuration' }).click();
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'configuration.png'), fullPage: true });

    // A mail sent through the API lands in the capture mailbox, where the Messages page shows it.
    const data = dataClient(service);
    const sent = await data.submitEmail({
      submitEmailDetails: {
        sender: { senderAddress: { email: 'app@good.example' }, compartmentId: service.admin.tenancyId },
        recipients: { to: [{ email: 'reader@example.net' }] },
        subject: 'Seen in the console',
        bodyText: 'Hello from the browser test.',
      },
    });
    data.close();
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByLabel('Message-ID').fill(sent.emailSubmittedResponse.messageId);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: 'reader@example.net', exact: true }).isVisible())
      .toBe(true);
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByRole('link', { name: 'Open' }).count();
      })
      .toBeGreaterThan(0);
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'messages.png'), fullPage: true });
    await page.getByRole('link', { name: 'Open' }).first().click();
    expect(await page.locator('pre.message').textContent()).toContain('Subject: Seen in the console');
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'mailbox-copy.png'), fullPage: true });

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'admin' }).click();
    await page.getByLabel('Description').fill('console test');
    await page.getByRole('button', { name: 'Generate SMTP Credentials' }).click();
    await expect.poll(() => page.locator('#new-password').textContent()).toMatch(/^\S{20,}$/);
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'smtp-credentials.png'), fullPage: true });
    await page.close();
  }, 60_000);

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
