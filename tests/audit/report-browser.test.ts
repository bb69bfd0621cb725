import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { writeAuditReport } from '../../src/audit/audit-report.js';
import type { UnmetCode } from '../../src/decision/decision.js';
import { sampleBody } from './fixtures.js';
import { tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(`audit report in headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is missing; apt-get install chromium)`}`, () => {
  let browser: Browser;
  let dir: string;
  let cleanup: () => Promise<void>;
  let reportPath: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('saferoute-report-'));
    const keys = generateAuditKeyPair();
    let now = Date.parse('2025-06-01T08:00:00.000Z');
    const sink = await createFileAuditSink({ dir: join(dir, 'log'), writerId: 'gw-1', clock: () => now, checkpoint: { key: keys.privateKeyPem } });
    const unmet: UnmetCode[] = ['age_verification_required', 'consent_required', 'age_below_minimum'];
    for (let i = 0; i < 240; i++) {
      now += 3 * 60_000;
      const block = i % 4 === 0;
      await sink.append(
        sampleBody({
          outcome: block ? 'block' : 'route',
          effective: block ? { outcome: 'block' } : { outcome: 'route', target: i % 2 ? 'sfw' : 'restricted' },
          determiningRules: [block ? 'needs-age' : i % 2 ? 'default-sfw' : 'adult-content-to-restricted'],
          unmet: block ? [{ code: unmet[i % 3] as UnmetCode, target: 'restricted', detail: '' }] : [],
          classifierErrors: i % 25 === 0 ? [{ classifier: 'llama-guard', code: 'timeout' }] : [],
          scores: { sexual: (i % 10) / 10, violence: (i % 7) / 7, 'self-harm': i % 13 === 0 ? 0.9 : 0.1 },
          policy: { id: 'default', revision: i < 120 ? 'r1' : 'r2', sha256: (i < 120 ? 'a' : 'b').repeat(64) },
        }),
      );
    }
    await sink.close();
    reportPath = join(dir, 'report.html');
    await writeAuditReport({ dir: join(dir, 'log') }, { out: reportPath, publicKey: keys.publicKeyPem, title: 'Audit report <gw-1>' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  it('renders without script or any network request, with every chart drawn and the verification result shown', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    const url = pathToFileURL(reportPath).href;
    await page.goto(url);
    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
    expect(await page.title()).toBe('Audit report <gw-1>');
    expect(await page.locator('#verification-status').innerText()).toBe('valid');
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBeGreaterThanOrEqual(8);
    for (let i = 0; i < (await charts.count()); i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(20);
    }
    // 240 decisions over 12 hours: columns per 15 minutes or per hour, routed and blocked stacked.
    const columns = page.locator('#over-time svg rect');
    expect(await columns.count()).toBeGreaterThan(12);
    expect(await page.locator('#over-time').innerText()).toMatch(/per (15 minutes|hour)/);
    const byOutcome = await page.locator('#by-outcome svg').innerHTML();
    expect(byOutcome).toContain('>route<');
    expect(byOutcome).toContain('>180<');
    expect(byOutcome).toContain('>60<');
    expect(await page.locator('#unmet').innerText()).toContain('age_verification_required → restricted');
    expect(await page.locator('#classifier-failures svg').innerHTML()).toContain('llama-guard: timeout');
    expect(await page.locator('#policies tbody tr').count()).toBe(2);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    await context.close();
  });
});
