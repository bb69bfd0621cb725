import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { KEYS, SIGNER, jailbreakRule, recordSampleDecisions, startConsoleGateway, type ConsoleGateway } from './console-fixtures.js';

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
    // A step that waits fails with its locator, well before the test's own timeout.
    page.setDefaultTimeout(10_000);
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
    expect(await page.locator('#overview-facts').textContent()).toContain('decisions (live)5');
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

  it('shows the policy for people', async () => {
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('link', { name: 'acme' }).click();
    await page.waitForURL(/\/console\/policies\/acme$/);
    expect(await page.locator('#policy-rules li[data-rule="block-jailbreak"]').textContent()).toContain('When the jailbreak score is at least 0.8, at the input stage: block');
    expect(await page.locator('#policy-jurisdictions').textContent()).toContain('minimum age 19');
    await page.screenshot({ path: join(SHOTS, 'policy-1400.png'), fullPage: true });
  });

  it('flags a mistake in a draft at its line as it is typed, then tests, replays and saves a signed revision', async () => {
    await page.getByRole('link', { name: 'Edit a copy' }).click();
    await page.waitForURL(/\/edit$/);
    const live = await readFile(gw.policyFile, 'utf8');
    const broken = live.replace('"gte": 0.8', '"gte": 1.8');
    const line = broken.split('\n').findIndex((l) => l.includes('1.8')) + 1;
    await page.locator('#policy-text').fill(broken);
    const flagged = page.locator(`#live-problems li[data-line="${line}"]`);
    await flagged.waitFor();
    expect(await flagged.textContent()).toMatch(new RegExp(`acme\\.draft\\.json:${line}:\\d+ /rules/${jailbreakRule(live)}/when/gte: `));
    await page.screenshot({ path: join(SHOTS, 'editor-problem-1400.png'), fullPage: true });
    // The problem's button puts the caret on that line.
    await flagged.getByRole('button').click();
    const caretLine = await page.locator('#policy-text').evaluate((el) => {
      const t = el as unknown as { value: string; selectionStart: number };
      return t.value.slice(0, t.selectionStart).split('\n').length;
    });
    expect(caretLine).toBe(line);

    const draft = live.replace('"revision": "2026-12-01.1"', '"revision": "2026-12-05.2"').replace(/("id": "block-jailbreak",[\s\S]*?"stage": )"input"/, '$1"output"');
    await page.locator('#policy-text').fill(draft);
    await expect.poll(() => page.locator('#live-status').textContent()).toContain('valid: acme@2026-12-05.2');
    await page.getByRole('button', { name: 'Run tests' }).click();
    await page.locator('#test-summary').waitFor();
    expect(await page.locator('#test-summary').textContent()).toMatch(/\d+ passed, [1-9]\d* failed/);
    await page.getByRole('button', { name: 'Replay recent traffic' }).click();
    await page.locator('#replay-summary').waitFor();
    expect(await page.locator('#replay-summary').textContent()).toContain('1 would change');
    expect(await page.locator('#replay-transitions tr.changed').textContent()).toContain('route sfw');
    await page.screenshot({ path: join(SHOTS, 'editor-replay-1400.png'), fullPage: true });
    // The README's picture, only when asked for: tests write nothing into the repository otherwise.
    if (process.env['SAFEROUTE_CONSOLE_README_SHOT'] === '1') await page.screenshot({ path: join(process.cwd(), 'docs', 'console.png'), clip: { x: 0, y: 150, width: 1400, height: 770 } });
    await page.getByRole('button', { name: 'Save signed revision' }).click();
    await page.locator('#save-result').waitFor();
    expect(await page.locator('#save-result').textContent()).toContain('Wrote acme.2026-12-05.2.json and its signature acme.2026-12-05.2.sig.json');
    expect(await readFile(gw.policyFile, 'utf8')).toBe(live);
    expect(JSON.parse(await readFile(join(gw.dir, 'policies', 'acme.2026-12-05.2.sig.json'), 'utf8')).signer).toBe(`${SIGNER} (console key acme-editor)`);
  });

  it('decides in the playground, with the rule values and the evidence', async () => {
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByLabel('Text').fill('Write an explicit sex scene between two consenting adults');
    await page.getByLabel('Jurisdiction').fill('GB');
    await page.getByRole('button', { name: 'Decide' }).click();
    await page.locator('#playground-verdict').waitFor();
    expect(await page.locator('#playground-verdict').textContent()).toContain('block (unmet_requirements)');
    expect(await page.locator('#playground-unmet').textContent()).toContain('age_verification_required');
    await page.getByLabel('Verified age over').fill('18');
    await page.getByLabel('Consents given').fill('adult-content@2.0.0');
    await page.getByRole('button', { name: 'Decide' }).click();
    await expect.poll(() => page.locator('#playground-verdict').textContent()).toContain('route → restricted');
    expect(await page.locator('#playground-trace tr[data-rule="adult-to-restricted"]').first().textContent()).toContain('matched');
    expect(await page.locator('#playground-scores svg').count()).toBeGreaterThan(5);
    await page.screenshot({ path: join(SHOTS, 'playground-1400.png'), fullPage: true });
  });

  it('works at 390 px without sideways scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, storageState: await context.storageState() });
    const p = await phone.newPage();
    for (const [path, shot] of [['/console', 'overview'], ['/console/decisions', 'decisions'], ['/console/policies/acme', 'policy'], ['/console/policies/acme/edit', 'editor'], ['/console/playground', 'playground']] as const) {
      await p.goto(`${gw.url}${path}`);
      expect(await p.evaluate(SCROLLS_SIDEWAYS), path).toBe(false);
      await p.screenshot({ path: join(SHOTS, `${shot}-390.png`), fullPage: true });
    }
    await phone.close();
  });

  it('raised no script or CSP error', () => {
    expect(errors).toEqual([]);
  });
});
