import { CLASSIFIER_CATEGORIES } from './classifier-coverage.js';
import type { Category } from '../taxonomy/categories.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json.js';
import { deepFreeze } from './deep-freeze.js';
import { chainContext, layerOf, mergePolicyLayers, type LayerDocument, type MergeFinding, type PolicyLayer } from './merge-policy-documents.js';
import type { Origin } from './origin-map.js';
import type { Policy } from './policy.js';
import type { PolicyIssue } from './policy-issue.js';
import { PolicySchema, type PolicyDocument } from './policy-schema.js';
import { resolvePolicyDefaults } from './resolve-policy-defaults.js';
import { checkPolicySemantics } from './semantic-checks.js';
import type { SemanticFinding } from './semantic-finding.js';
import type { JsonSource, PositionKind } from './source-map.js';
import { validatePolicySchema } from './validate-policy-schema.js';
import { concernsPlaceholder, repairForSemantics } from './repair-for-semantics.js';

export type PolicyLoadResult = { ok: true; policy: Policy; warnings: PolicyIssue[] } | { ok: false; issues: PolicyIssue[] };

interface Positioned {
  issue: PolicyIssue;
  source: number;
  order: number;
}

/**
 * Syntax → schema (each file) → merge `extends` → schema of the merged whole → semantic checks
 * → defaults, digest, freeze. Each stage runs only when the ones before found no error, so no
 * check ever reasons about a document it cannot trust; within a stage every problem is reported.
 */
export interface PolicyValidationOptions {
  /**
   * Classifiers of your own that the policy may name (the names your classifier registry
   * provides), with the categories each scores — checked like the built-in ones, so a block rule
   * on a category none of them scores is still an error.
   */
  classifiers?: Readonly<Record<string, readonly Category[]>>;
}

export function buildPolicy(sources: readonly JsonSource[], chainIssues: readonly PolicyIssue[], options: PolicyValidationOptions = {}): PolicyLoadResult {
  const collected: Positioned[] = [];
  const sourceIndex = new Map(sources.map((s, i) => [s.file, i]));
  const addIssue = (issue: PolicyIssue): void => {
    const source = sourceIndex.get(issue.file) ?? 0;
    const s = sources[source];
    collected.push({ issue, source, order: issue.line > 0 || !s ? orderOf(issue) : s.locate(issue.pointer).order });
  };
  const at = (origin: Origin, kind: PositionKind, f: { message: string; hint?: string; severity: 'error' | 'warning' }): void => {
    const source = sources[origin.source] as JsonSource;
    const pos = source.locate(origin.pointer, kind);
    const issue: PolicyIssue = { file: source.file, line: pos.line, column: pos.column, pointer: origin.pointer, message: f.message, severity: f.severity };
    if (f.hint != null) issue.hint = f.hint;
    collected.push({ issue, source: origin.source, order: pos.line > 0 ? orderOf(pos) : pos.order });
  };
  const finish = (): Positioned[] => collected.sort(comparePositioned);
  const failed = (): PolicyLoadResult | undefined => {
    const all = finish();
    return all.some((p) => p.issue.severity === 'error') ? { ok: false, issues: all.map((p) => p.issue) } : undefined;
  };

  chainIssues.forEach(addIssue);
  sources.forEach((s) => s.syntaxIssues.forEach(addIssue));
  // Schema errors confined to unknown properties and single rules leave the rest checkable: the
  // semantic checks then run on a repaired copy so that every problem is reported at once.
  const repaired: (unknown | undefined)[] = sources.map((s) => s.value);
  const placeholders = new Map<number, ReadonlySet<number>>();
  let repairable = sources.every((s) => s.syntaxIssues.length === 0) && chainIssues.length === 0;
  sources.forEach((s, i) => {
    if (s.value === undefined) return;
    const declaresExtends = typeof (s.value as { extends?: unknown } | null)?.extends === 'string';
    const findings = validatePolicySchema(s.value).filter((f) => !(declaresExtends && f.keyword === 'required'));
    // A file built on a base may leave out what the base provides: checked after the merge.
    for (const f of findings) at({ source: i, pointer: f.pointer }, f.kind, { ...f, severity: 'error' });
    if (findings.length > 0 && repairable) {
      const fix = repairForSemantics(s.value, findings);
      if (fix) {
        repaired[i] = fix.value;
        placeholders.set(i, fix.placeholderRules);
      } else repairable = false;
    }
  });
  const early = failed();
  if (early && !repairable) return early;
  const errorCount = (): number => collected.filter((p) => p.issue.severity === 'error').length;
  const schemaErrors = errorCount();

  // Merge from the base-most file up to the policy itself.
  const docs = repaired.map((v) => v as LayerDocument);
  const context = chainContext([...docs].reverse());
  const mergeFindings: MergeFinding[] = [];
  let layer: PolicyLayer = layerOf(docs[docs.length - 1] as LayerDocument, docs.length - 1);
  for (let i = docs.length - 2; i >= 0; i--) {
    layer = mergePolicyLayers(layer, layerOf(docs[i] as LayerDocument, i), context, mergeFindings);
  }
  const merged = layer;
  for (const f of mergeFindings) at(f.origin, f.kind, f);
  if (sources.length > 1) {
    for (const f of validatePolicySchema(merged.doc)) {
      const message = f.keyword === 'required' ? `${f.message} (neither this policy nor the policies it extends define it)` : f.message;
      at(merged.origins.resolve(f.pointer), f.kind, { ...f, message, severity: 'error' });
    }
  }
  const afterMerge = failed();
  if (afterMerge && errorCount() > schemaErrors) return afterMerge;

  // The zod schema and the JSON Schema come from one source; a disagreement is a bug, and failing
  // here keeps it from becoming a policy that loads with the wrong meaning.
  const parsed = PolicySchema.safeParse(merged.doc);
  if (!parsed.success) {
    for (const z of parsed.error.issues) {
      const pointer = z.path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
      at(merged.origins.resolve(pointer), 'value', { message: `internal schema mismatch: ${z.message}`, severity: 'error' });
    }
    return failed() ?? { ok: false, issues: finish().map((p) => p.issue) };
  }
  const doc: PolicyDocument = parsed.data;

  const semantic: SemanticFinding[] = checkPolicySemantics(doc, {
    classifiers: { ...CLASSIFIER_CATEGORIES, ...options.classifiers },
    where: (pointer, kind) => {
      const origin = merged.origins.resolve(pointer);
      const source = sources[origin.source] as JsonSource;
      const pos = source.locate(origin.pointer, kind);
      return pos.line > 0 ? `${source.file}:${pos.line}:${pos.column}` : `${source.file} ${origin.pointer}`;
    },
    sourceOf: (pointer) => merged.origins.resolve(pointer).source,
  });
  for (const f of semantic) {
    const origin = merged.origins.resolve(f.pointer);
    const stand = placeholders.get(origin.source);
    if (stand && concernsPlaceholder(origin.pointer, stand)) continue;
    at(origin, f.kind, f);
  }
  const final = failed();
  if (final) return final;

  const resolved = resolvePolicyDefaults(doc);
  const sha256 = createHash('sha256').update(canonicalJson(resolved)).digest('hex');
  const policy: Policy = deepFreeze({
    id: resolved.id,
    revision: resolved.revision,
    sha256,
    document: resolved,
    sources: sources.map((s) => s.path ?? s.file),
  });
  return { ok: true, policy, warnings: finish().map((p) => p.issue) };
}

/** Line and column order the issues of a file (an object has no lines: document order instead). */
function orderOf(p: { line: number; column: number }): number {
  return p.line * 1e7 + p.column;
}

function comparePositioned(a: Positioned, b: Positioned): number {
  return (
    a.source - b.source ||
    a.order - b.order ||
    (a.issue.severity === b.issue.severity ? 0 : a.issue.severity === 'error' ? -1 : 1) ||
    (a.issue.message < b.issue.message ? -1 : a.issue.message > b.issue.message ? 1 : 0)
  );
}
