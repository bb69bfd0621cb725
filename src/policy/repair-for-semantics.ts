import { parsePointer } from './json-pointer.js';
import type { SchemaFinding } from './validate-policy-schema.js';
import { validatePolicySchema } from './validate-policy-schema.js';

/** A schema-invalid document made schema-valid for the semantic checks, and what was stood in for. */
export interface RepairedDocument {
  value: unknown;
  /** Indices of rules replaced by a neutral stand-in: their semantic findings mean nothing. */
  placeholderRules: ReadonlySet<number>;
}

/**
 * So that `validate` reports every problem at once, a document whose schema errors are confined
 * to unknown properties and to individual rules is repaired for the semantic checks: unknown
 * properties are dropped and a broken rule is replaced by a neutral stand-in that keeps its id
 * (so a duplicate id is still found). Anything else returns undefined: the semantic checks then
 * wait until the schema errors are fixed, as they never reason about a document they cannot trust.
 */
export function repairForSemantics(value: unknown, findings: readonly SchemaFinding[]): RepairedDocument | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const doc = structuredClone(value) as Record<string, unknown>;
  const rules = doc['rules'];
  const placeholderRules = new Set<number>();
  for (const f of findings) {
    const path = parsePointer(f.pointer);
    if (path[0] === 'rules' && Array.isArray(rules) && path.length >= 2) {
      const index = Number(path[1]);
      if (!Number.isInteger(index) || index < 0 || index >= rules.length) return undefined;
      placeholderRules.add(index);
      continue;
    }
    if (f.keyword === 'additionalProperties' && path.length > 0) {
      const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      if (typeof parent !== 'object' || parent === null) return undefined;
      delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
      continue;
    }
    return undefined;
  }
  if (Array.isArray(rules)) {
    for (const index of placeholderRules) {
      const original = rules[index] as { id?: unknown } | undefined;
      const id = typeof original?.id === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(original.id) ? original.id : `invalid-rule-${index}`;
      rules[index] = { id, description: 'stand-in for a rule with schema errors', stage: 'input', when: { any: [{ all: [] }] }, effect: { action: 'warn' } };
    }
  }
  return validatePolicySchema(doc).length === 0 ? { value: doc, placeholderRules } : undefined;
}

/** True when a semantic finding concerns a stand-in rule rather than the policy author's text. */
export function concernsPlaceholder(pointer: string, placeholderRules: ReadonlySet<number>): boolean {
  const path = parsePointer(pointer);
  if (path[0] !== 'rules' || path.length < 2) return false;
  if (!placeholderRules.has(Number(path[1]))) return false;
  return !(path.length === 3 && path[2] === 'id');
}
