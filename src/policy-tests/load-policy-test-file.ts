import path from 'node:path';
import { didYouMean, listOf } from '../policy/did-you-mean.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import { childPointer } from '../policy/json-pointer.js';
import { buildPolicyTestsJsonSchema } from '../policy/policy-json-schema.js';
import type { PolicyIssue } from '../policy/policy-issue.js';
import { readJsonFile } from '../policy/read-json-file.js';
import { parseJsonSource, type JsonSource, type PositionKind } from '../policy/source-map.js';
import { createSchemaValidator } from '../policy/validate-policy-schema.js';
import { PolicyTestFileSchema, type PolicyTestFile } from './policy-test-file.js';

export type PolicyTestFileLoadResult =
  | { ok: true; file: PolicyTestFile; warnings: PolicyIssue[] }
  /** `unreadable`: the file could not be read at all (missing, a directory, no permission), as opposed to read and found wrong. */
  | { ok: false; issues: PolicyIssue[]; unreadable?: true };

export interface LoadPolicyTestFileOptions {
  /** Shown as the file in issues (default: the path as given). */
  display?: string;
  /** The policy the tests are for: expected targets, rules, reasons and warnings are checked against it. */
  policy?: EvaluablePolicy;
}

const validateTestsSchema = createSchemaValidator(buildPolicyTestsJsonSchema);

/** Reasons a decision can carry besides the policy's own block reasons. */
const ENGINE_REASONS = ['unmet_requirements', 'classifier_error'];

/**
 * Reads a policy-tests file as `saferoute validate` reads a policy: every problem at once as
 * `file:line:column /pointer: message`, with the closest name for a misspelt property, category,
 * subject, target, rule, reason or warning. Syntax first, then the schema, then names the file
 * and (when given) the policy define; a later stage runs only when the earlier found no error.
 */
export async function loadPolicyTestFile(file: string, options: LoadPolicyTestFileOptions = {}): Promise<PolicyTestFileLoadResult> {
  const shown = options.display ?? file;
  const abs = path.resolve(file);
  const read = await readJsonFile(abs);
  if (!read.ok) {
    const missing = read.message === 'no such file' ? '; write one beside the policy (POLICY.tests.json) or name it with --tests' : '';
    const issue: PolicyIssue = { file: shown, line: 0, column: 0, pointer: '', message: `cannot read the test file: ${read.message}${missing}`, severity: 'error' };
    if (read.hint != null) issue.hint = read.hint;
    return { ok: false, issues: [issue], unreadable: true };
  }
  const source = parseJsonSource(read.text, shown, abs);
  if (source.syntaxIssues.length > 0) return { ok: false, issues: [...source.syntaxIssues] };
  const value = source.value;
  const issues: PolicyIssue[] = [];
  const at = (pointer: string, message: string, o: { kind?: PositionKind; hint?: string | undefined; severity?: 'error' | 'warning' } = {}): void => {
    const pos = source.locate(pointer, o.kind ?? 'value');
    const issue: PolicyIssue = { file: shown, line: pos.line, column: pos.column, pointer, message, severity: o.severity ?? 'error' };
    if (o.hint != null) issue.hint = o.hint;
    issues.push(issue);
  };
  if (looksLikePolicy(value)) {
    at('', 'this is a policy, not a test file', { kind: 'container', hint: 'a test file holds `cases` (see policies/default.tests.json); name the policy as `saferoute test POLICY`' });
    return { ok: false, issues };
  }
  const findings = validateTestsSchema(value);
  for (const f of findings) at(f.pointer, f.message, { kind: f.kind, hint: f.hint });
  // Names are checked in every case the schema accepts, so a misspelt key in one case does not
  // hide a misspelt subject in another.
  checkNames(wellFormedParts(value), options.policy, at);
  const parsed = PolicyTestFileSchema.safeParse(value);
  if (findings.length === 0 && !parsed.success) {
    // The JSON Schema is generated from the zod schema; a disagreement is a bug, reported, not hidden.
    for (const z of parsed.error.issues) at('/' + z.path.map(String).join('/'), `internal schema mismatch: ${z.message}`);
  }
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || !parsed.success) return { ok: false, issues: sorted(issues, source) };
  return { ok: true, file: parsed.data, warnings: sorted(issues, source) };
}

interface Parts {
  now?: string;
  subjects: string[];
  /** Each case as far as it is well-formed: fields of the wrong type are left out (the schema reports them). */
  cases: [number, CaseParts][];
}

interface CaseParts {
  name?: string;
  now?: string;
  subject?: string;
  inputs: boolean;
  servedTarget?: string;
  expect: { target?: string; reason?: string; determiningRules: string[]; matchedRules: string[]; warnings: string[] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '')) : []);

function wellFormedParts(value: unknown): Parts {
  const doc = isRecord(value) ? value : {};
  const parts: Parts = { subjects: isRecord(doc['subjects']) ? Object.keys(doc['subjects']) : [], cases: [] };
  const now = str(doc['now']);
  if (now != null) parts.now = now;
  (Array.isArray(doc['cases']) ? (doc['cases'] as unknown[]) : []).forEach((raw, i) => {
    if (!isRecord(raw)) return;
    const e = isRecord(raw['expect']) ? raw['expect'] : {};
    const c: CaseParts = {
      inputs: raw['text'] !== undefined || raw['scores'] !== undefined || raw['classifierFails'] === true,
      expect: { determiningRules: strings(e['determiningRules']), matchedRules: strings(e['matchedRules']), warnings: strings(e['warnings']) },
    };
    const set = (key: 'name' | 'now' | 'subject' | 'servedTarget'): void => {
      const v = str(raw[key]);
      if (v != null) c[key] = v;
    };
    set('name');
    set('now');
    set('subject');
    set('servedTarget');
    const target = str(e['target']);
    if (target != null) c.expect.target = target;
    const reason = str(e['reason']);
    if (reason != null) c.expect.reason = reason;
    parts.cases.push([i, c]);
  });
  return parts;
}

type At = (pointer: string, message: string, o?: { kind?: PositionKind; hint?: string | undefined; severity?: 'error' | 'warning' }) => void;

function unknown(what: string, name: string, known: readonly string[]): { message: string; hint: string | undefined } {
  const s = didYouMean(name, known);
  return {
    message: `unknown ${what} \`${name}\`${s != null ? `; did you mean \`${s}\`?` : ''}`,
    hint: s != null ? undefined : known.length > 0 ? `${what}s here: ${listOf(known.length > 12 ? [...known.slice(0, 12), '…'] : known)}` : undefined,
  };
}

function checkNames(file: Parts, policy: EvaluablePolicy | undefined, at: At): void {
  const subjects = file.subjects;
  const doc = policy?.document;
  const targets = doc ? Object.keys(doc.targets) : undefined;
  const rules = doc ? [...doc.rules.map((r) => r.id), 'defaults.route', 'defaults.onClassifierError', ...Object.keys(doc.targets).map((t) => `targets.${t}.onUnmet`)] : undefined;
  const reasons = doc ? [...new Set([...doc.rules.flatMap((r) => (r.effect.action === 'block' ? [r.effect.reason] : [])), ...ENGINE_REASONS])] : undefined;
  const warnings = doc ? [...new Set(doc.rules.flatMap((r) => r.warnings ?? []))] : undefined;
  const time = (value: string | undefined, pointer: string): void => {
    if (value != null && !Number.isFinite(Date.parse(value))) at(pointer, `\`${value}\` is not a time`, { hint: 'an ISO 8601 time such as `2026-11-28T12:00:00Z`' });
  };
  time(file.now, '/now');
  const names = new Map<string, number>();
  for (const [i, c] of file.cases) {
    const ptr = `/cases/${i}`;
    const first = c.name != null ? names.get(c.name) : undefined;
    if (first != null) at(`${ptr}/name`, `another case is named \`${c.name ?? ''}\` (\`/cases/${first}\`)`, { severity: 'warning', hint: 'give each case its own name, so a failure points to one case' });
    else if (c.name != null) names.set(c.name, i);
    time(c.now, `${ptr}/now`);
    if (c.subject != null && !subjects.includes(c.subject)) {
      const u = unknown('subject', c.subject, subjects);
      at(`${ptr}/subject`, u.message, { hint: u.hint ?? (subjects.length === 0 ? 'define it under `subjects`, or give the subject inline' : undefined) });
    }
    if (!c.inputs) {
      at(ptr, 'the case has neither `text` nor `scores`: it decides on nothing', { kind: 'container', severity: 'warning', hint: 'add `"text": "…"` or `"scores": { … }`' });
    }
    if (!doc) continue;
    const e = c.expect;
    const name = (value: string | undefined, pointer: string, what: string, known: readonly string[] | undefined): void => {
      if (value === undefined || known === undefined || known.includes(value)) return;
      const u = unknown(what, value, known);
      at(pointer, u.message, { hint: u.hint });
    };
    name(e.target, `${ptr}/expect/target`, 'target', targets);
    name(c.servedTarget, `${ptr}/servedTarget`, 'target', targets);
    name(e.reason, `${ptr}/expect/reason`, 'reason', reasons);
    for (const field of ['determiningRules', 'matchedRules'] as const) e[field].forEach((id, j) => name(id, childPointer(ptr, 'expect', field, j), 'rule', rules));
    e.warnings.forEach((w, j) => name(w, childPointer(ptr, 'expect', 'warnings', j), 'warning', warnings));
  }
}

function looksLikePolicy(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const doc = value as Record<string, unknown>;
  return !('cases' in doc) && ('rules' in doc || 'targets' in doc || 'extends' in doc);
}

function sorted(issues: PolicyIssue[], source: JsonSource): PolicyIssue[] {
  const order = (i: PolicyIssue): number => (i.line > 0 ? i.line * 1e7 + i.column : source.locate(i.pointer).order);
  return [...issues].sort((a, b) => order(a) - order(b));
}
