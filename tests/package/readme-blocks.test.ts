import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedPrints, isTranscript, lineMatches, missingPrint, readmeBlocks, transcriptSteps, unmatchedLine } from './readme-blocks.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('readmeBlocks', () => {
  const markdown = [
    '# t',
    '```ts',
    "console.log(1); // → 1",
    '```',
    '```json',
    '{}',
    '```',
    '<!-- readme-test: skip: needs a real model -->',
    '```sh',
    'curl https://example.com',
    '```',
    '```sh',
    '$ npx saferoute validate a.json   # exits 1',
    'error a.json:1:1 …',
    '...',
    'invalid a.json: 1 error',
    '',
    '$ echo hi',
    '```',
  ].join('\n');

  it('finds the ts and sh blocks with their lines, and the skip marker right above a fence', () => {
    expect(readmeBlocks(markdown)).toEqual([
      { language: 'ts', line: 2, code: 'console.log(1); // → 1' },
      { language: 'sh', line: 9, code: 'curl https://example.com', skip: 'needs a real model' },
      { language: 'sh', line: 12, code: expect.stringContaining('$ npx saferoute validate') },
    ]);
    expect(() => readmeBlocks('```sh\nls\n')).toThrow(/not closed/);
  });

  it('reads a transcript: commands, exit status, expected lines', () => {
    const block = readmeBlocks(markdown)[2]!;
    expect(isTranscript(block)).toBe(true);
    expect(transcriptSteps(block.code)).toEqual([
      { command: 'npx saferoute validate a.json   # exits 1', exitCode: 1, expected: ['error a.json:1:1 …', '...', 'invalid a.json: 1 error'] },
      { command: 'echo hi', exitCode: 0, expected: [] },
    ]);
  });

  it('matches output with `...` for lines and `…` for text, and nothing else', () => {
    const expected = ['error a.json:1:1 …', '...', 'invalid a.json: 1 error'];
    expect(unmatchedLine(expected, ['error a.json:1:1 x', 'more', 'more', 'invalid a.json: 1 error'])).toBeUndefined();
    expect(unmatchedLine(expected, ['error a.json:1:1 x', 'invalid a.json: 1 error'])).toBeUndefined();
    expect(unmatchedLine(expected, ['error a.json:1:2 x', 'invalid a.json: 1 error'])).toBe('error a.json:1:1 …');
    expect(unmatchedLine(expected, ['error a.json:1:1 x', 'invalid a.json: 1 error', 'extra'])).toMatch(/other lines/);
    expect(lineMatches('a (b) […]', 'a (b) [c.d]')).toBe(true);
    expect(lineMatches('a.b', 'aXb')).toBe(false);
  });

  it('reads the `// →` prints of a TypeScript block and finds them in order', () => {
    const prints = expectedPrints("console.log(a); // → block consent_required\nx; // not a print\nconsole.log(b); // → route restricted");
    expect(prints).toEqual(['block consent_required', 'route restricted']);
    expect(missingPrint(prints, ['noise', 'block consent_required', 'route restricted'])).toBeUndefined();
    expect(missingPrint(prints, ['route restricted', 'block consent_required'])).toBe('route restricted');
  });
});

describe('README.md', () => {
  it('writes every command as `npx saferoute …`, in blocks and in prose', () => {
    const bare = README.split('\n')
      .map((line, i) => ({ line, n: i + 1 }))
      .filter(({ line }) => /(^|[`$(]\s*|^\$ )saferoute (help|validate|test|check|demo|chat|eval|consent|attest|keys|migrate|audit)\b/.test(line));
    expect(bare.map(({ line, n }) => `README.md:${n}: ${line}`)).toEqual([]);
  });

  it('has at least the tour, the quick start and the guarded-calls example as blocks that run', () => {
    const blocks = readmeBlocks(README);
    const running = blocks.filter((b) => b.skip === undefined);
    expect(running.some((b) => b.code.includes('npx saferoute demo'))).toBe(true);
    expect(running.some((b) => b.language === 'ts' && b.code.includes('guardOpenAI(new OpenAI()'))).toBe(true);
    expect(running.some((b) => b.language === 'ts' && b.code.includes('// → block consent_required'))).toBe(true);
  });
});
