import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createFileAuditSink } from '../../src/audit/file-audit-sink.js';
import { generateAuditKeyPair } from '../../src/audit/audit-signing-keys.js';
import { writeAuditReport } from '../../src/audit/audit-report.js';
import { BLOCK_COLOR, targetColor } from '../../src/audit/report-colors.js';
import type { UnmetCode } from '../../src/decision/decision.js';
import { sampleBody } from './fixtures.js';
import { tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
/** Screenshots land here for a person to look at; the directory is not committed. */
const SHOTS = join(process.cwd(), '.tmp', 'report-screenshots');

/**
 * Problems a reader would see at this width: horizontal scrolling, cells overflowing, words split
 * across lines. Runs in the page (a string, so that this file needs no DOM types).
 */
const LAYOUT_PROBLEMS = `(() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) problems.push('page scrolls sideways: ' + doc.scrollWidth + ' > ' + doc.clientWidth);
  for (const table of document.querySelectorAll('table')) {
    if (table.offsetWidth > table.parentElement.clientWidth + 1) problems.push('table wider than its section: ' + table.offsetWidth + ' > ' + table.parentElement.clientWidth + ' (' + (table.querySelector('th') || {}).textContent + ' …)');
  }
  const boxes = 'th, td, dt, dd, h1, h2, h3, .gloss, .status';
  for (const el of document.querySelectorAll(boxes)) {
    if (el.scrollWidth > el.clientWidth + 1) problems.push(el.tagName.toLowerCase() + ' overflows: ' + (el.textContent || '').slice(0, 60));
    // Each word must sit on one line: a word whose rectangles start on two lines was broken inside.
    // Quoted paths and hashes (<code>) may break anywhere; words may not.
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code') || node.parentElement.closest(boxes) !== el) continue;
      for (const m of (node.textContent || '').matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        // A hyphen, slash or dash is a place a line may end; breaking there is not breaking a word.
        if (tops.size > 1 && !/[-/–·]/.test(m[0])) problems.push('word broken across lines in ' + el.tagName.toLowerCase() + ': ' + m[0]);
      }
    }
  }
  return problems;
})()`;

async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(LAYOUT_PROBLEMS) as Promise<string[]>;
}

describe.skipIf(!hasChromium)(`audit report in headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is missing; apt-get install chromium)`}`, () => {
  let browser: Browser;
  let dir: string;
  let cleanup: () => Promise<void>;
  let reportPath: string;
  let tamperedPath: string;
  let tamperedSeq: number;
  const targets = ['sfw', 'restricted', 'private'];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('saferoute-report-'));
    const keys = generateAuditKeyPair();
    let now = Date.parse('2025-06-01T08:00:00.000Z');
    const sink = await createFileAuditSink({ dir: join(dir, 'log'), writerId: 'gw-1', clock: () => now, checkpoint: { key: keys.privateKeyPem } });
    const unmet: UnmetCode[] = ['age_verification_required', 'consent_required', 'age_below_minimum'];
    for (let i = 0; i < 240; i++) {
      now += 3 * 60_000;
      const block = i % 4 === 0;
      // sfw is the busiest target here; in the tampered copy below restricted is: colours must not follow rank.
      const target = i % 5 < 3 ? 'sfw' : (targets[i % 3] as string);
      await sink.append(
        sampleBody(
          {
            outcome: block ? 'block' : 'route',
            target: block ? undefined : target,
            effective: block ? { outcome: 'block' } : { outcome: 'route', target },
            determiningRules: [block ? 'needs-age-verification-before-restricted-content' : `route-to-${target}`],
            unmet: block ? [{ code: unmet[i % 3] as UnmetCode, target: 'restricted', detail: '' }] : [],
            classifierErrors: i % 25 === 0 ? [{ classifier: 'llama-guard', code: 'timeout' }] : [],
            scores: { sexual: (i % 10) / 10, violence: (i % 7) / 7, 'self-harm': i % 13 === 0 ? 0.9 : 0.1 },
            policy: { id: 'default', revision: i < 120 ? 'r1' : 'r2', sha256: (i < 120 ? 'a' : 'b').repeat(64) },
          },
          `user-${i % 7}`,
        ),
      );
    }
    await sink.close();
    reportPath = join(dir, 'report.html');
    await writeAuditReport({ dir: join(dir, 'log') }, { out: reportPath, publicKey: keys.publicKeyPem, title: 'Audit report <gw-1>' });

    // The same log with one decision edited (its hash no longer matches) and one line removed.
    const seg = join(dir, 'log', 'gw-1', '000001-000001.jsonl');
    const lines = (await readFile(seg, 'utf8')).split('\n');
    const edited = lines.findIndex((l, i) => i > 5 && l.includes('"outcome":"block"'));
    tamperedSeq = edited;
    lines[edited] = (lines[edited] as string).replace('"outcome":"block"', '"outcome":"route"');
    lines.splice(edited + 20, 1);
    await writeFile(seg, lines.join('\n'));
    tamperedPath = join(dir, 'tampered.html');
    await writeAuditReport({ dir: join(dir, 'log') }, { out: tamperedPath, publicKey: keys.publicKeyPem, sourceArg: 'log' });
    await mkdir(SHOTS, { recursive: true });
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
    // 240 decisions over 12 hours: columns per 15 minutes or per hour, blocked and each target stacked.
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
    await context.close();
  });

  it('keeps colours meaningful: blocked is red everywhere, each target its own colour whatever its rank', async () => {
    const html = await readFile(reportPath, 'utf8');
    const tampered = await readFile(tamperedPath, 'utf8');
    const barFill = (doc: string, section: string, label: string): string | undefined => {
      const part = doc.slice(doc.indexOf(`<section id="${section}">`));
      const m = new RegExp(`fill="(#[0-9a-f]{6})"><title>${label.replace(/[()]/g, '\\$&')}: \\d+</title>`).exec(part.slice(0, part.indexOf('</section>')));
      return m?.[1];
    };
    for (const doc of [html, tampered]) {
      expect(barFill(doc, 'by-target', '(blocked)')).toBe(BLOCK_COLOR);
      expect(barFill(doc, 'by-outcome', 'block')).toBe(BLOCK_COLOR);
      for (const t of targets) expect(barFill(doc, 'by-target', t)).toBe(targetColor(t));
      expect(barFill(doc, 'by-rule', 'route-to-sfw')).toBe(targetColor('sfw'));
      expect(barFill(doc, 'by-rule', 'needs-age-verification-before-restricted-content')).toBe(BLOCK_COLOR);
      // Over time: the blocked series is red, each target's series its colour.
      expect(doc).toMatch(new RegExp(`<title>[^<]* blocked: \\d+</title>`));
      expect(doc).toMatch(new RegExp(`fill="${BLOCK_COLOR}"><title>[^<]* blocked: `));
      expect(doc).toMatch(new RegExp(`fill="${targetColor('restricted')}"><title>[^<]* → restricted: `));
    }
    expect(new Set(targets.map(targetColor)).size).toBe(3);
    expect(targets.map(targetColor)).not.toContain(BLOCK_COLOR);
  });

  it('explains every figure, and gives decision ids to look up per outcome', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(reportPath).href);
    const facts = page.locator('dl.facts > div');
    expect(await facts.count()).toBeGreaterThanOrEqual(12);
    for (let i = 0; i < (await facts.count()); i++) expect((await facts.nth(i).locator('.gloss').innerText()).length).toBeGreaterThan(10);
    for (const id of ['over-time', 'by-outcome', 'by-target', 'by-stage', 'by-rule', 'by-matched-rule', 'by-category', 'unmet', 'classifier-failures', 'samples', 'policies']) {
      expect((await page.locator(`#${id} > .gloss`).innerText()).length, id).toBeGreaterThan(10);
    }
    const verification = await page.locator('#verification').innerText();
    expect(verification, verification).toMatch(/records read\s+242\s+every line of the log read, writer start and stop records included/);
    expect(verification).toMatch(/decisions in range\s+240\s+decision records/);
    const samples = await page.locator('#samples').innerText();
    for (const outcome of ['blocked', 'routed → sfw', 'routed → restricted', 'routed → private']) expect(samples).toContain(outcome);
    expect(samples.match(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g)?.length).toBe(12);
    await page.close();
  });

  it('lists the records that failed verification and leaves them out of the charts', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(tamperedPath).href);
    expect(await page.locator('#verification-status').innerText()).toBe('problems found');
    const excluded = await page.locator('#excluded + .gloss + table').innerText();
    expect(excluded).toMatch(new RegExp(`gw-1\\s+1\\s+${tamperedSeq}\\s+\\S+\\s+[0-9a-f-]{36}\\s+hash_mismatch`));
    expect(await page.locator('#verification').innerText()).toMatch(/excluded from the charts\s+1\s/);
    // One block was deleted, one edited to claim `route`: the edited one is counted nowhere.
    const byOutcome = await page.locator('#by-outcome svg').innerHTML();
    expect(byOutcome).toContain('<title>route: 180</title>');
    expect(byOutcome).toContain('<title>block: 58</title>');
    expect(await page.locator('#summary').innerText()).toMatch(/decisions counted\s+238\s/);
    expect(await page.locator('table.findings').innerText()).toMatch(/hash_mismatch[\s\S]*seq_gap/);
    await page.close();
  });

  for (const width of [1400, 800]) {
    it(`lays out at ${width} px without sideways scrolling, overflowing cells or words broken across lines`, async () => {
      for (const [name, path] of [
        ['clean', reportPath],
        ['tampered', tamperedPath],
      ] as const) {
        const page = await browser.newPage({ viewport: { width, height: 1000 } });
        await page.goto(pathToFileURL(path).href);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
        expect(await layoutProblems(page), `${name} at ${width} px`).toEqual([]);
        await page.close();
      }
    });
  }
});
