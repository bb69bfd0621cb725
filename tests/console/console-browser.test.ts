import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { KEYS, recordSampleDecisions, startConsoleGateway, type ConsoleGateway } from './console-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
/** Screenshots for a person to look at; `.tmp/` is not committed. */
const SHOTS = join(process.cwd(), '.tmp', 'console-screenshots');

/** Horizontal scrolling of the whole page is a layout bug at any width. */
const SCROLLS_SIDEWAYS = `(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1)()`;

describe.skipIf(!hasChromium)(`console in headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is missing; apt-get install chromium)`}`, () => {
  let gw: ConsoleGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    gw = await startConsoleGateway();
    await recordSampleDecisions(gw);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    // A CSP violation or a script error shows up here.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('logs in with an editor key by keyboard', async () => {
    await page.goto(`${gw.url}/console/decisions`);
    expect(page.url()).toContain('/console/login');
    await page.getByLabel('API key').fill(KEYS.editor);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/decisions$/);
    await expect.poll(() => page.locator('#log-status .badge').textContent()).toContain('Audit log: valid');
    expect(await page.locator('header .who').textContent()).toContain('acme-editor');
  });

  it('shows the overview with fixed colours', async () => {
    await page.goto(`${gw.url}/console`);
    expect(await page.locator('h1').textContent()).toBe('Overview');
    expect(await page.locator('#overview-facts').textContent()).toContain('decisions5');
    // Blocked is always the report's red.
    expect(await page.locator('svg.chart rect[fill="#c0392b"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'overview-1400.png'), fullPage: true });
    expect(await page.evaluate(SCROLLS_SIDEWAYS)).toBe(false);
  });

  it('filters decisions and opens one', async () => {
    await page.goto(`${gw.url}/console/decisions`);
    expect(await page.locator('#decision-count').textContent()).toContain('5 matching decisions');
    await page.getByLabel('Outcome').selectOption('block');
    await page.getByLabel('Rule').fill('block-jailbreak');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/outcome=block/);
    expect(await page.locator('#decision-count').textContent()).toContain('1 matching decision');
    await page.screenshot({ path: join(SHOTS, 'decisions-1400.png'), fullPage: true });
    await page.locator('#decisions a').first().click();
    await page.waitForURL(/\/console\/decisions\/[0-9a-f-]{36}$/);
    expect(await page.locator('.rule[data-rule="block-jailbreak"]').textContent()).toContain('score `jailbreak` >= 0.8');
    expect(await page.content()).not.toContain('Ignore all previous instructions');
  });

  it('works at 390 px without sideways scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, storageState: await context.storageState() });
    const p = await phone.newPage();
    for (const path of ['/console', '/console/decisions']) {
      await p.goto(`${gw.url}${path}`);
      expect(await p.evaluate(SCROLLS_SIDEWAYS), path).toBe(false);
    }
    await p.screenshot({ path: join(SHOTS, 'decisions-390.png'), fullPage: true });
    await phone.close();
  });

  it('raised no script or CSP error', () => {
    expect(errors).toEqual([]);
  });
});
