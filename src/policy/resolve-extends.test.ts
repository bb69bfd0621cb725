import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy, validatePolicyObject } from './load-policy.js';
import { MAX_EXTENDS_DEPTH } from './resolve-extends.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'saferoute-extends-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = {
  id: 'base',
  revision: '1',
  targets: { sfw: { provider: 'openai', model: 'm' } },
  rules: [],
  defaults: { route: 'sfw' },
};

describe('extends', () => {
  it('stops a chain deeper than the limit, at the extends that goes too far', async () => {
    const n = MAX_EXTENDS_DEPTH + 1;
    writeFileSync(path.join(dir, `level-${n - 1}.json`), JSON.stringify(BASE));
    for (let i = 0; i < n - 1; i++) {
      writeFileSync(path.join(dir, `level-${i}.json`), JSON.stringify({ extends: `level-${i + 1}.json`, id: `l${i}`, revision: '1' }));
    }
    const result = await loadPolicy(path.join(dir, 'level-0.json'));
    if (result.ok) throw new Error('expected invalid');
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ file: path.join(dir, `level-${n - 2}.json`), pointer: '/extends', line: 1, column: 12 });
    expect(result.issues[0]?.message).toContain(`deeper than ${MAX_EXTENDS_DEPTH} policies`);

    // One level less loads.
    const ok = await loadPolicy(path.join(dir, 'level-1.json'));
    expect(ok.ok).toBe(true);
  });

  it('accepts an absolute path and reports issues of the base under the path as written', async () => {
    const basePath = path.join(dir, 'abs-base.json');
    const text = JSON.stringify({ ...BASE, mode: 'enforcing' }, null, 2);
    writeFileSync(basePath, text);
    const line = text.split('\n').findIndex((l) => l.includes('"mode"')) + 1;
    const result = validatePolicyObject({ extends: basePath, id: 'c', revision: '1' });
    if (result.ok) throw new Error('expected invalid');
    expect(result.issues.map((i) => [i.file, i.pointer, i.line, i.message])).toEqual([
      [basePath, '/mode', line, 'unknown mode `enforcing`; did you mean `enforce`?'],
    ]);
  });

  it('leaves a non-string extends to the schema', () => {
    const result = validatePolicyObject({ ...BASE, extends: 42 });
    if (result.ok) throw new Error('expected invalid');
    expect(result.issues.map((i) => [i.pointer, i.message])).toEqual([['/extends', 'expected a string, found `42`']]);
  });

  it('reports a base that is not valid JSON in the base file', async () => {
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "id": "b",\n}\n');
    writeFileSync(path.join(dir, 'uses-broken.json'), JSON.stringify({ extends: 'broken.json', id: 'c', revision: '1' }));
    const result = await loadPolicy(path.join(dir, 'uses-broken.json'));
    if (result.ok) throw new Error('expected invalid');
    expect(result.issues.map((i) => [path.basename(i.file), i.line, i.column, i.message])).toEqual([['broken.json', 2, 12, 'trailing comma']]);
  });
});
