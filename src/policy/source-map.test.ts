import { describe, expect, it } from 'vitest';
import { objectSource, parseJsonSource } from './source-map.js';

describe('parseJsonSource', () => {
  it('points a missing comma at the next property with a readable message', () => {
    const s = parseJsonSource('{\n  "id": "x"\n  "revision": "1"\n}', 'p.json');
    expect(s.value).toBeUndefined();
    expect(s.syntaxIssues).toHaveLength(1);
    expect(s.syntaxIssues[0]).toMatchObject({ file: 'p.json', line: 3, column: 3, severity: 'error' });
    expect(s.syntaxIssues[0]?.message).toBe('expected `,` or `}`, found `"revision"`');
  });

  it('names the closing bracket of an array', () => {
    const s = parseJsonSource('{"a": [1 2]}', 'p.json');
    expect(s.syntaxIssues[0]?.message).toBe('expected `,` or `]`, found `2`');
    expect(s.syntaxIssues[0]).toMatchObject({ line: 1, column: 10 });
  });

  it('reports comments and trailing commas, each at its own position', () => {
    const s = parseJsonSource('{\n  // note\n  "a": [1, 2,],\n  "b": 1,\n}', 'p.json');
    expect(s.syntaxIssues.map((i) => [i.line, i.column, i.message])).toEqual([
      [2, 3, 'comments are not allowed'],
      [3, 13, 'trailing comma'],
      [4, 9, 'trailing comma'],
    ]);
  });

  it('stops after an error that throws the parser off, instead of listing its echoes', () => {
    const s = parseJsonSource("{'a': 1, 'b': 2}", 'p.json');
    expect(s.syntaxIssues).toHaveLength(1);
    expect(s.syntaxIssues[0]).toMatchObject({ line: 1, column: 2 });
    expect(s.syntaxIssues[0]?.hint).toContain('double quotes');
  });

  it('reports an empty file', () => {
    expect(parseJsonSource('  \n', 'p.json').syntaxIssues[0]?.message).toContain('empty');
  });

  it('rejects duplicate keys at the second one', () => {
    const s = parseJsonSource('{\n  "rules": [],\n  "rules": [1]\n}', 'p.json');
    expect(s.value).toBeUndefined();
    expect(s.syntaxIssues[0]).toMatchObject({ line: 3, column: 3, pointer: '/rules' });
    expect(s.syntaxIssues[0]?.message).toContain('duplicate property `rules` (first at line 2, column 3)');
  });

  it('keeps `__proto__` as an ordinary property', () => {
    const s = parseJsonSource('{"__proto__": {"polluted": true}}', 'p.json');
    const value = s.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('locates a value, a key and an object brace; columns ignore a byte-order mark', () => {
    const s = parseJsonSource('\ufeff{\n  "rules": [\n    { "id": "x" }\n  ]\n}', 'p.json');
    expect(s.locate('/rules/0/id')).toMatchObject({ line: 3, column: 13 });
    expect(s.locate('/rules/0/id', 'key')).toMatchObject({ line: 3, column: 7 });
    expect(s.locate('/rules/0', 'container')).toMatchObject({ line: 3, column: 5 });
    // A path that does not exist points at the deepest part that does.
    expect(s.locate('/rules/0/effect/action')).toMatchObject({ line: 3, column: 5 });
  });

  it('handles CRLF line ends', () => {
    const s = parseJsonSource('{\r\n  "a": 1,\r\n  "b": 2\r\n}', 'p.json');
    expect(s.locate('/b')).toMatchObject({ line: 3, column: 8 });
  });
});

describe('objectSource', () => {
  it('copies a plain object and drops undefined properties', () => {
    const s = objectSource({ a: 1, b: undefined, c: [true, null] });
    expect(s.value).toEqual({ a: 1, c: [true, null] });
    expect(s.locate('/c/1')).toMatchObject({ line: 0, column: 0 });
  });

  it('reports what JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = { n: Number.NaN, f: () => 1, d: new Date(0) };
    cyclic['self'] = cyclic;
    const s = objectSource(cyclic);
    expect(s.value).toBeUndefined();
    expect(s.syntaxIssues.map((i) => i.pointer).sort()).toEqual(['/d', '/f', '/n', '/self']);
  });
});
