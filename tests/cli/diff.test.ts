import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliInProcess as cli } from '../support/run-cli-in-process.js';

const defaultPath = fileURLToPath(new URL('../../policies/default.json', import.meta.url));

describe('saferoute diff', () => {
  it('exits 0 on equal policies, 1 with the changes when they differ, --json for machines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-diff-'));
    try {
      const doc = JSON.parse(readFileSync(defaultPath, 'utf8'));
      delete doc.$schema;
      doc.rules.find((r: { id: string }) => r.id === 'block-jailbreak').when.gte = 0.9;
      writeFileSync(join(dir, 'new.json'), JSON.stringify(doc));
      const same = await cli(['diff', defaultPath, defaultPath]);
      expect(same.code).toBe(0);
      expect(same.stdout).toContain('no differences');
      const text = await cli(['diff', defaultPath, 'new.json'], { cwd: dir });
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('  ~ block-jailbreak\n      jailbreak gte: 0.8 → 0.9  (looser; the rule matches fewer requests)');
      const json = await cli(['diff', defaultPath, 'new.json', '--json'], { cwd: dir });
      expect(json.code).toBe(1);
      const parsed = JSON.parse(json.stdout);
      expect(parsed).toMatchObject({ equal: false, summary: { changes: 1, looser: 1 }, changes: [{ section: 'rules', kind: 'threshold', item: 'block-jailbreak', before: 0.8, after: 0.9 }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('exits 64 on a usage error and 78 when a policy is missing or invalid', async () => {
    expect((await cli(['diff', defaultPath])).code).toBe(64);
    const missing = await cli(['diff', defaultPath, '/nonexistent/p.json']);
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('/nonexistent/p.json');
    const dir = mkdtempSync(join(tmpdir(), 'cli-diff-'));
    try {
      writeFileSync(join(dir, 'bad.json'), '{"id": "x", "revision": "1", "targets": {}, "rules": [], "defaults": {"route": "nowhere"}}');
      const bad = await cli(['diff', defaultPath, 'bad.json'], { cwd: dir });
      expect(bad.code).toBe(78);
      expect(bad.stderr).toContain('bad.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
