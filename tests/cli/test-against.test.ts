import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliInProcess as cli } from '../support/run-cli-in-process.js';

const defaultPath = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
const testsPath = fileURLToPath(new URL('../../policies/default.tests.json', import.meta.url));

describe('saferoute test --against OLD.json', () => {
  it('lists the cases whose outcome changes, old → new, and exits per the new policy', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-test-against-'));
    try {
      const old = JSON.parse(readFileSync(defaultPath, 'utf8'));
      delete old.$schema;
      // The old policy blocked borderline jailbreaks at 0.5; the shipped one blocks from 0.8.
      old.rules.find((r: { id: string }) => r.id === 'block-jailbreak').when.gte = 0.5;
      writeFileSync(join(cwd, 'old.json'), JSON.stringify(old));
      const same = await cli(['test', defaultPath, '--tests', testsPath, '--against', defaultPath, '--json'], { cwd });
      expect(same.code).toBe(0);
      const sameReport = JSON.parse(same.stdout);
      expect(sameReport.against.changed).toEqual([]);
      expect(sameReport.against.unchanged).toBe(sameReport.results.length);

      const r = await cli(['test', defaultPath, '--tests', testsPath, '--against', 'old.json', '--json'], { cwd });
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.against.changed.length).toBeGreaterThan(0);
      expect(report.against.changed.length + report.against.unchanged).toBe(report.results.length);
      for (const c of report.against.changed) {
        // Decided by the old jailbreak threshold (another block rule may have matched beside it).
        expect(c.before).toMatchObject({ outcome: 'block', reason: 'jailbreak' });
        expect(c.before.determiningRules).toContain('block-jailbreak');
        expect(c.after.outcome === 'block' && c.after.reason === 'jailbreak').toBe(false);
      }
      const text = await cli(['test', defaultPath, '--tests', testsPath, '--against', 'old.json'], { cwd });
      expect(text.stdout).toMatch(new RegExp(`against old\\.json \\(default@[^)]+\\): ${report.against.changed.length} of ${report.results.length} cases change outcome`));
      expect(text.stdout).toContain(`  ${report.against.changed[0].name}\n      block (jailbreak) → `);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
  it('exits with the new policy\'s own result, and 78 when the old policy is invalid', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-test-against-'));
    try {
      writeFileSync(join(cwd, 'bad.json'), '{"id": "x"}');
      const bad = await cli(['test', defaultPath, '--tests', testsPath, '--against', 'bad.json'], { cwd });
      expect(bad.code).toBe(78);
      // The new policy loosened so a case fails: exit 2, whatever the old policy did.
      const loose = JSON.parse(readFileSync(defaultPath, 'utf8'));
      delete loose.$schema;
      loose.rules.find((r: { id: string }) => r.id === 'block-jailbreak').when.gte = 0.99;
      writeFileSync(join(cwd, 'loose.json'), JSON.stringify(loose));
      const failing = await cli(['test', 'loose.json', '--tests', testsPath, '--against', defaultPath], { cwd });
      expect(failing.code).toBe(2);
      expect(failing.stdout).toMatch(/cases change outcome/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
