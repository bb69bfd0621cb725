import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../taxonomy/categories.js';
import { LexiconError } from './lexicon-error.js';
import { buildLexiconJsonSchema } from './lexicon-schema.js';
import { DEFAULT_LEXICON_DIR, loadLexicons, parseLexicon } from './load-lexicons.js';

const shippedDir = fileURLToPath(DEFAULT_LEXICON_DIR);
const shippedFiles = readdirSync(shippedDir).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'));

const tempDirs: string[] = [];
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'saferoute-lexicons-'));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function caught(fn: () => unknown): LexiconError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LexiconError);
    return err as LexiconError;
  }
  throw new Error('expected a LexiconError');
}

const good = JSON.stringify({ category: 'profanity', description: 'x', terms: [{ term: 'darn', weight: 0.2 }] }, null, 2);

describe('loadLexicons', () => {
  it('loads the shipped lexicons from the package by default', () => {
    const lexicons = loadLexicons();
    expect(lexicons.length).toBe(shippedFiles.length);
    const categories = lexicons.map((l) => l.category);
    for (const c of ['sexual', 'sexual/minors', 'sexual/non-consensual', 'hate', 'harassment', 'violence', 'self-harm', 'illicit', 'weapons/indiscriminate', 'jailbreak', 'profanity']) {
      expect(categories).toContain(c);
    }
    expect(categories.every((c) => (CATEGORIES as readonly string[]).includes(c))).toBe(true);
  });

  it('reads every .json file of a directory except JSON Schemas', () => {
    const dir = tempDir({ 'profanity.json': good, 'lexicon.schema.json': '{"not": "a lexicon"}', 'notes.txt': 'ignored' });
    expect(loadLexicons(dir).map((l) => l.category)).toEqual(['profanity']);
  });

  it('loads a language file beside its category\'s main file, by name', () => {
    const french = JSON.stringify({ category: 'profanity', language: 'fr', description: 'x', terms: [{ term: 'zut', weight: 0.2 }] });
    const dir = tempDir({ 'profanity.json': good, 'profanity.fr.json': french });
    expect(loadLexicons(dir).map((l) => [l.category, l.language])).toEqual([
      ['profanity', 'fr'],
      ['profanity', undefined],
    ]);
  });

  it('refuses a language file whose name does not carry its language', () => {
    const french = JSON.stringify({ category: 'profanity', language: 'fr', description: 'x', terms: [{ term: 'zut', weight: 0.2 }] });
    const err = caught(() => loadLexicons(tempDir({ 'profanity.de.json': french })));
    expect(err.message).toMatch(/category `profanity` in language `fr`, so it must be named `profanity\.fr\.json`/);
    const unnamed = caught(() => loadLexicons(tempDir({ 'profanity.fr.json': good })));
    expect(unnamed.message).toMatch(/must be named `profanity\.json`/);
  });

  it('names the file and the line of a JSON syntax error', () => {
    const dir = tempDir({ 'profanity.json': '{\n  "category": "profanity",\n  "terms": [,]\n}' });
    const err = caught(() => loadLexicons(dir));
    expect(err.code).toBe('lexicon_invalid');
    expect(err.file).toBe(join(dir, 'profanity.json'));
    expect(err.message).toMatch(/profanity\.json: not valid JSON: 3:\d+/);
  });

  it('names the file, position and path of a schema violation', () => {
    const text = JSON.stringify({ category: 'profanity', description: 'x', terms: [{ term: 'darn', weight: 2 }], extra: true }, null, 2);
    const dir = tempDir({ 'profanity.json': text });
    const err = caught(() => loadLexicons(dir));
    expect(err.file).toBe(join(dir, 'profanity.json'));
    expect(err.problems.some((p) => /^\d+:\d+ terms\.0\.weight: /.test(p))).toBe(true);
    expect(err.problems.some((p) => /extra/.test(p))).toBe(true);
  });

  it('requires the file name to match the category', () => {
    const err = caught(() => parseLexicon(JSON.stringify({ category: 'sexual/minors', description: 'x', terms: [] }), '/x/minors.json'));
    expect(err.message).toMatch(/must be named `sexual__minors\.json`/);
  });

  it('reports problems the schema cannot see', () => {
    const text = JSON.stringify({ category: 'profanity', description: 'x', terms: [{ term: 'darn', weight: 0.2, context: ['missing'] }] });
    const err = caught(() => parseLexicon(text, 'profanity.json'));
    expect(err.message).toMatch(/profanity\.json: terms\[0\]\.context: unknown context `missing`/);
  });

  it('fails clearly for a missing directory', () => {
    const err = caught(() => loadLexicons(join(tmpdir(), 'saferoute-no-such-dir-' + process.pid)));
    expect(err.message).toMatch(/cannot read the lexicon directory/);
  });

  it('fails for an unreadable file', () => {
    const dir = tempDir({});
    mkdirSync(join(dir, 'profanity.json'));
    const err = caught(() => loadLexicons(dir));
    expect(err.message).toMatch(/cannot read the file/);
  });
});

describe('lexicon JSON Schema', () => {
  const committed = JSON.parse(readFileSync(join(shippedDir, 'lexicon.schema.json'), 'utf8')) as Record<string, unknown>;

  it('is the one generated from the zod types (regenerate it with buildLexiconJsonSchema when they change)', () => {
    expect(committed).toEqual(buildLexiconJsonSchema());
  });

  it('accepts every shipped lexicon, and each refers to it', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);
    for (const name of shippedFiles) {
      const json = JSON.parse(readFileSync(join(shippedDir, name), 'utf8')) as Record<string, unknown>;
      expect(validate(json), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(json.$schema, name).toBe('./lexicon.schema.json');
    }
  });

  it('rejects what the loader rejects', () => {
    const validate = new Ajv2020({ strict: false }).compile(committed);
    expect(validate({ category: 'profanity', description: 'x', terms: [{ term: 'a', weight: 0 }] })).toBe(false);
    expect(validate({ category: 'blocklist', description: 'x', terms: [] })).toBe(false);
    expect(validate({ category: 'profanity', description: 'x', terms: [], unknown: 1 })).toBe(false);
  });
});
