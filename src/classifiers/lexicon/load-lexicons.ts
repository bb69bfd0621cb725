import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeAtLocation, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { lexiconFileName, lexiconProblems } from './compile-lexicon.js';
import { LexiconError } from './lexicon-error.js';
import { LexiconSchema, type Lexicon } from './lexicon-schema.js';

/**
 * The shipped lexicons. `src/classifiers/lexicon/` and `dist/classifiers/lexicon/` are both three
 * levels below the package root, so one relative URL serves both.
 */
export const DEFAULT_LEXICON_DIR = new URL('../../../classifiers/lexicons/', import.meta.url);

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      last = i;
    }
  }
  return `${line}:${offset - last}`;
}

/**
 * Parses and validates one lexicon file's text. `file` is used in messages; its base name must
 * be the category with `/` written as `__` (`sexual__minors.json`). Throws `LexiconError`.
 */
export function parseLexicon(text: string, file: string): Lexicon {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const first = errors[0];
    const at = first ? `${lineColumn(text, first.offset)} ${printParseErrorCode(first.error).toLowerCase()}` : (err as Error).message;
    throw new LexiconError(file, [`not valid JSON: ${at}`], { cause: err });
  }
  const parsed = LexiconSchema.safeParse(json);
  if (!parsed.success) {
    throw new LexiconError(
      file,
      parsed.error.issues.map((issue) => {
        const node = tree ? findNodeAtLocation(tree, issue.path as (string | number)[]) : undefined;
        const where = node ? `${lineColumn(text, node.offset)} ` : '';
        return `${where}${issue.path.join('.') || '(root)'}: ${issue.message.toLowerCase()}`;
      }),
    );
  }
  const lexicon = parsed.data;
  const expected = lexiconFileName(lexicon.category, lexicon.language);
  const problems: string[] = [];
  if (basename(file) !== expected) {
    const what = lexicon.language != null ? `category \`${lexicon.category}\` in language \`${lexicon.language}\`` : `category \`${lexicon.category}\``;
    problems.push(`holds ${what}, so it must be named \`${expected}\``);
  }
  problems.push(...lexiconProblems(lexicon));
  if (problems.length > 0) throw new LexiconError(file, problems);
  return lexicon;
}

/** One lexicon file of a directory, as read. */
export interface LexiconFile {
  /** The file name (`hate.fr.json`). */
  name: string;
  /** Its path, for messages. */
  file: string;
  text: string;
}

/**
 * The `*.json` lexicon files of `dir` (JSON Schemas aside), in file-name order, read but not
 * parsed. Throws `LexiconError` when the directory or a file cannot be read.
 */
export function lexiconFiles(dir: string | URL = DEFAULT_LEXICON_DIR): LexiconFile[] {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  let names: string[];
  try {
    names = readdirSync(path)
      .filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'))
      .sort();
  } catch (err) {
    throw new LexiconError(path, [`cannot read the lexicon directory: ${(err as Error).message}`], { cause: err });
  }
  return names.map((name) => {
    const file = join(path, name);
    try {
      return { name, file, text: readFileSync(file, 'utf8') };
    } catch (err) {
      throw new LexiconError(file, [`cannot read the file: ${(err as Error).message}`], { cause: err });
    }
  });
}

/**
 * Reads and validates every `*.json` lexicon in `dir` (the shipped set by default), except JSON
 * Schemas: each category's main file (`hate.json`) and the files that add a language to it
 * (`hate.fr.json`, `hate.zh.json`), in file-name order. The directory listing is the list: a
 * language is added by adding its files, and nothing registers itself. Throws `LexiconError`
 * naming the first bad file and all of its problems.
 */
export function loadLexicons(dir: string | URL = DEFAULT_LEXICON_DIR): Lexicon[] {
  return lexiconFiles(dir).map((f) => parseLexicon(f.text, f.file));
}
