import path from 'node:path';
import { parseJsonSource, type JsonSource } from './source-map.js';
import type { PolicyIssue } from './policy-issue.js';
import { didYouMean } from './did-you-mean.js';
import { PolicySchema } from './policy-schema.js';
import type { ReadResult } from './read-json-file.js';

export type { ReadResult } from './read-json-file.js';
export { describeReadError } from './read-json-file.js';

/** A chain longer than this is a mistake (or a cycle through different spellings of a path). */
export const MAX_EXTENDS_DEPTH = 8;

export interface ExtendsChain {
  /** The policy first, then its base, the base's base, … */
  sources: JsonSource[];
  issues: PolicyIssue[];
}

/**
 * Walks `extends` from a parsed root: each base's path is relative to the file that names it.
 * Written as a generator that yields the absolute paths it needs read, so the same walk serves
 * the asynchronous `loadPolicy` and the synchronous `validatePolicyObject`.
 */
export function* walkExtends(root: JsonSource, rootDir: string): Generator<string, ExtendsChain, ReadResult> {
  const sources: JsonSource[] = [root];
  const issues: PolicyIssue[] = [];
  const chain: string[] = [root.path ?? root.file];
  const label = (p: string): string => (p === root.file && root.path == null ? p : path.relative(rootDir, p) || p);
  let current = root;
  for (;;) {
    const ext = extendsOf(current.value);
    if (ext == null) break;
    const at = current.locate('/extends');
    const issue = (message: string, hint?: string): void => {
      const i: PolicyIssue = { file: current.file, line: at.line, column: at.column, pointer: '/extends', message, severity: 'error' };
      if (hint != null) i.hint = hint;
      issues.push(i);
    };
    const dir = current.path != null ? path.dirname(current.path) : rootDir;
    const abs = path.resolve(dir, ext);
    if (path.extname(abs).toLowerCase() !== '.json') {
      issue(`\`extends\` must name a \`.json\` file, not \`${ext}\``, 'a base policy is a `.json` file, relative to the policy that extends it');
      break;
    }
    if (chain.includes(abs)) {
      issue(`\`extends\` makes a cycle: ${[...chain, abs].map(label).join(' → ')}`, 'a base policy cannot extend a policy built on it');
      break;
    }
    if (sources.length >= MAX_EXTENDS_DEPTH) {
      issue(`\`extends\` goes deeper than ${MAX_EXTENDS_DEPTH} policies: ${[...chain, abs].map(label).join(' → ')}`);
      break;
    }
    const read: ReadResult = yield abs;
    if (!read.ok) {
      issue(`cannot read the base policy \`${ext}\`: ${read.message}`, read.hint);
      break;
    }
    // Shown the way the user spelled the paths, so issues are easy to find from where they run.
    const shown = path.isAbsolute(ext) ? ext : current.path != null ? path.join(path.dirname(current.file), ext) : fromCwd(abs);
    const next = parseJsonSource(read.text, shown, abs, { quote: false });
    if (next.syntaxIssues.length === 0 && !looksLikePolicy(next.value)) {
      // Reporting its fields one by one would print another file's contents, whatever it holds.
      issue(`the base policy \`${ext}\` is not a saferoute policy`, 'its top-level fields are not policy fields; `extends` names another policy file');
      break;
    }
    sources.push(next);
    chain.push(abs);
    current = next;
  }
  return { sources, issues };
}

const POLICY_FIELDS: readonly string[] = Object.keys(PolicySchema.shape);

/** An object whose every top-level field is a policy field, or a near miss of one (reported as a typo). */
function looksLikePolicy(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => POLICY_FIELDS.includes(k) || didYouMean(k, POLICY_FIELDS) != null);
}

function fromCwd(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function extendsOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const ext = (value as Record<string, unknown>)['extends'];
  // A non-string `extends` is left to the schema check to report.
  return typeof ext === 'string' && ext !== '' ? ext : undefined;
}

export function runSync<T>(walk: Generator<string, T, ReadResult>, read: (absPath: string) => ReadResult): T {
  let step = walk.next();
  while (!step.done) step = walk.next(read(step.value));
  return step.value;
}

export async function runAsync<T>(walk: Generator<string, T, ReadResult>, read: (absPath: string) => Promise<ReadResult>): Promise<T> {
  let step = walk.next();
  while (!step.done) step = walk.next(await read(step.value));
  return step.value;
}
