import path from 'node:path';
import { parseJsonSource, type JsonSource } from './source-map.js';
import type { PolicyIssue } from './policy-issue.js';

/** A chain longer than this is a mistake (or a cycle through different spellings of a path). */
export const MAX_EXTENDS_DEPTH = 8;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

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
      issue(`cannot read the base policy \`${ext}\`: ${read.message}`);
      break;
    }
    // Shown the way the user spelled the paths, so issues are easy to find from where they run.
    const shown = path.isAbsolute(ext) ? ext : current.path != null ? path.join(path.dirname(current.file), ext) : fromCwd(abs);
    const next = parseJsonSource(read.text, shown, abs);
    sources.push(next);
    chain.push(abs);
    current = next;
  }
  return { sources, issues };
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

/** A file-system error in words. */
export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
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
