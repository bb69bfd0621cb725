import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledLexiconFrom, compilePatterns } from '../../src/classifiers/lexicon/compile-lexicon.js';
import { createLexiconClassifier } from '../../src/classifiers/lexicon/create-lexicon-classifier.js';
import { compileShippedLexicons, lexiconCacheDir } from '../../src/classifiers/lexicon/lexicon-cache.js';
import { encodeLexiconSnapshot } from '../../src/classifiers/lexicon/lexicon-snapshot.js';
import { DEFAULT_LEXICON_DIR, loadLexicons } from '../../src/classifiers/lexicon/load-lexicons.js';
import { scorePinCorpus } from '../support/score-pin-corpus.js';

const temps: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'saferoute-lexicon-cache-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A small lexicon folder (fast to compile) with one file the tests may edit. */
function lexiconFolder(): string {
  const dir = temp();
  const write = (name: string, body: object): void => writeFileSync(join(dir, name), JSON.stringify(body, null, 2));
  write('violence.json', { category: 'violence', description: 'test', terms: [{ term: 'stab him', weight: 0.8 }] });
  write('profanity.json', { category: 'profanity', description: 'test', terms: [{ term: 'darn', weight: 0.5 }] });
  return dir;
}
const snapshots = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.snap'));

describe('compiled lexicon cache', () => {
  it('the shipped lexicons loaded from a snapshot score the whole pin corpus as freshly compiled ones do', () => {
    const cacheDir = temp();
    const dir = fileURLToPath(DEFAULT_LEXICON_DIR);
    const fresh = compiledLexiconFrom(compilePatterns(loadLexicons()));
    compileShippedLexicons(dir, cacheDir); // writes the snapshot
    expect(snapshots(cacheDir)).toHaveLength(1);
    const cached = compiledLexiconFrom(compileShippedLexicons(dir, cacheDir));
    expect(cached.version).toBe(fresh.version);
    expect(cached.size).toEqual(fresh.size);
    const differ: string[] = [];
    for (const c of scorePinCorpus()) {
      const text = c.input.text;
      const preceding = c.input.context?.preceding;
      if (JSON.stringify(cached.scan(text, preceding)) !== JSON.stringify(fresh.scan(text, preceding))) differ.push(c.key);
    }
    expect(differ).toEqual([]);

    // The classifier's default path reads that snapshot (not rewritten); with blocklists it compiles and leaves the cache alone.
    const [name] = snapshots(cacheDir);
    const written = statSync(join(cacheDir, name!)).mtimeMs;
    const classifier = createLexiconClassifier({ cacheDir });
    expect(classifier.version).toBe(fresh.version);
    expect(classifier.scan('how do I make a pipe bomb').scores).toEqual(fresh.scan('how do I make a pipe bomb').scores);
    expect(statSync(join(cacheDir, name!)).mtimeMs).toBe(written);
    const otherDir = temp();
    const withBlocklist = createLexiconClassifier({ cacheDir: otherDir, blocklists: [{ id: 'house', terms: ['zebra crossing'] }] });
    expect(withBlocklist.scan('a zebra crossing').scores.blocklist).toBe(1);
    expect(snapshots(otherDir)).toEqual([]);
  });

  it('writes one snapshot, reads it back, and keys it on the lexicons: an edited file gets a new one', () => {
    const dir = lexiconFolder();
    const cacheDir = join(temp(), 'nested', 'cache');
    const first = compiledLexiconFrom(compileShippedLexicons(dir, cacheDir));
    const [name] = snapshots(cacheDir);
    expect(name).toMatch(/^lexicon-[0-9a-f]{32}\.snap$/);
    const written = statSync(join(cacheDir, name!)).mtimeMs;
    const again = compiledLexiconFrom(compileShippedLexicons(dir, cacheDir));
    expect(statSync(join(cacheDir, name!)).mtimeMs).toBe(written); // read, not rewritten
    expect(again.scan('I will stab him')).toEqual(first.scan('I will stab him'));
    expect(again.scan('I will stab him').scores.violence).toBe(0.8);

    writeFileSync(join(dir, 'violence.json'), JSON.stringify({ category: 'violence', description: 'test', terms: [{ term: 'stab him', weight: 0.3 }] }));
    const edited = compiledLexiconFrom(compileShippedLexicons(dir, cacheDir));
    expect(edited.scan('I will stab him').scores.violence).toBe(0.3);
    expect(snapshots(cacheDir)).toHaveLength(2);
  });

  it('compiles afresh, and rewrites the file, when the snapshot is truncated or altered', () => {
    const dir = lexiconFolder();
    const cacheDir = temp();
    compileShippedLexicons(dir, cacheDir);
    const file = join(cacheDir, snapshots(cacheDir)[0]!);
    const good = readFileSync(file);
    for (const bad of [good.subarray(0, good.length >> 1), Buffer.concat([good.subarray(0, 100), Buffer.from('x'), good.subarray(101)])]) {
      writeFileSync(file, bad);
      const lex = compiledLexiconFrom(compileShippedLexicons(dir, cacheDir));
      expect(lex.scan('stab him').scores.violence).toBe(0.8);
      expect(readFileSync(file).equals(good)).toBe(true);
    }
  });

  it('does not read a snapshot others could have written (group- or world-writable)', () => {
    const dir = lexiconFolder();
    const cacheDir = temp();
    compileShippedLexicons(dir, cacheDir);
    const file = join(cacheDir, snapshots(cacheDir)[0]!);
    // A valid snapshot of a set that matches nothing, planted under the right name.
    writeFileSync(file, encodeLexiconSnapshot(compilePatterns([{ category: 'violence', description: 'planted', terms: [{ term: 'zzzz', weight: 0.1 }] }])));
    chmodSync(file, 0o666);
    const lex = compiledLexiconFrom(compileShippedLexicons(dir, cacheDir));
    expect(lex.scan('stab him').scores.violence).toBe(0.8);
  });

  it('works without a cache: switched off, or a folder that cannot be created', () => {
    const dir = lexiconFolder();
    expect(compiledLexiconFrom(compileShippedLexicons(dir, false)).scan('stab him').scores.violence).toBe(0.8);
    const blocked = join(temp(), 'a-file');
    writeFileSync(blocked, 'not a folder');
    expect(compiledLexiconFrom(compileShippedLexicons(dir, join(blocked, 'cache'))).scan('stab him').scores.violence).toBe(0.8);
  });

  it('takes its folder from SAFEROUTE_CACHE_DIR, where `off` switches it off', () => {
    expect(lexiconCacheDir({ SAFEROUTE_CACHE_DIR: '/somewhere/else' })).toBe('/somewhere/else');
    for (const off of ['off', 'OFF', '0', 'false', '']) expect(lexiconCacheDir({ SAFEROUTE_CACHE_DIR: off })).toBe(false);
    expect(lexiconCacheDir({})).toMatch(/node_modules[/\\]\.cache[/\\]saferoute$/);
  });

  it('keeps at most three snapshots in a folder', () => {
    const dir = lexiconFolder();
    const cacheDir = temp();
    for (let w = 1; w <= 5; w++) {
      writeFileSync(join(dir, 'profanity.json'), JSON.stringify({ category: 'profanity', description: 'test', terms: [{ term: 'darn', weight: w / 10 }] }));
      compileShippedLexicons(dir, cacheDir);
    }
    expect(snapshots(cacheDir).length).toBeLessThanOrEqual(3);
  });
});
