import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { CATEGORIES } from '../taxonomy/categories.js';
import { AGE_METHODS, ASSURANCE_LEVELS } from '../subjects/subject-context.js';
import { UNMET_CODES } from './evaluation-types.js';
import { buildPolicyJsonSchema } from './policy-json-schema.js';
import { didYouMean, didYouMeanSuffix, listOf } from './did-you-mean.js';
import { childPointer, isUnderPointer } from './json-pointer.js';
import type { PositionKind } from './source-map.js';

/** A schema violation in words, pointing into the validated document. */
export interface SchemaFinding {
  pointer: string;
  kind: PositionKind;
  message: string;
  hint?: string;
  /** The ajv keyword, so callers can defer `required` checks until `extends` is merged. */
  keyword: string;
}

/** Validates a document against one JSON Schema, every problem at once, in words. */
export type SchemaValidator = (doc: unknown) => SchemaFinding[];
type BranchValidator = (branch: AnySchemaObject) => ValidateFunction;

/**
 * A validator for a generated schema, compiled on first use. Union branches are compiled on their
 * own when needed, so that only the intended branch's errors are explained; they refer to shared
 * definitions only through `#/$defs/…`, so carrying the root's `$defs` along is enough.
 */
export function createSchemaValidator(build: () => Record<string, unknown>): SchemaValidator {
  let ajv: Ajv2020 | undefined;
  let root: ValidateFunction | undefined;
  let rootDefs: unknown;
  const branches = new WeakMap<object, ValidateFunction>();
  const compiled = (): { ajv: Ajv2020; root: ValidateFunction } => {
    if (!ajv || !root) {
      const schema = build();
      rootDefs = schema['$defs'];
      // verbose: errors carry their schema and data, which the messages below are built from.
      ajv = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
      root = ajv.compile(schema);
    }
    return { ajv, root };
  };
  const branchValidator: BranchValidator = (branch) => {
    let v = branches.get(branch);
    if (!v) {
      v = compiled().ajv.compile({ ...branch, ...(rootDefs !== undefined ? { $defs: rootDefs } : {}) });
      branches.set(branch, v);
    }
    return v;
  };
  return (doc) => {
    const validate = compiled().root;
    if (validate(doc)) return [];
    return explain(validate.errors ?? [], '', branchValidator);
  };
}

/** Validates a policy document against the published JSON Schema, every problem at once. */
export const validatePolicySchema: SchemaValidator = createSchemaValidator(buildPolicyJsonSchema);

function explain(errors: readonly ErrorObject[], base: string, branchValidator: BranchValidator): SchemaFinding[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf');
  // Everything at or below a union's value was produced by one of its branches; the outermost
  // union is explained by picking its intended branch, which recursion does for nested ones.
  const outer: ErrorObject[] = [];
  for (const u of unions) {
    const nested = unions.some((o) => o !== u && o.instancePath !== u.instancePath && isUnderPointer(u.instancePath, o.instancePath));
    if (!nested && !outer.some((o) => o.instancePath === u.instancePath)) outer.push(u);
  }
  const plain = errors.filter(
    (e) => e.keyword !== 'anyOf' && !outer.some((u) => isUnderPointer(e.instancePath, u.instancePath)),
  );
  const findings: SchemaFinding[] = [];
  const typed = new Set(plain.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of plain) {
    // A value of the wrong type also fails its enum, pattern, bounds…: the type says it all.
    if (e.keyword !== 'type' && typed.has(e.instancePath) && e.propertyName == null && e.keyword !== 'propertyNames') continue;
    const f = describe(e, base, plain);
    if (f) findings.push(f);
  }
  for (const u of outer) findings.push(...explainUnion(u, base, branchValidator));
  return findings;
}

function finding(pointer: string, kind: PositionKind, keyword: string, message: string, hint?: string): SchemaFinding {
  const f: SchemaFinding = { pointer, kind, keyword, message };
  if (hint != null) f.hint = hint;
  return f;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function branchesOf(u: ErrorObject): AnySchemaObject[] {
  return Array.isArray(u.schema) ? (u.schema as AnySchemaObject[]) : [];
}

/** The property whose `const` tells the branches apart (`action` for effects), if there is one. */
function constDiscriminator(branches: readonly AnySchemaObject[]): string | undefined {
  const first = branches[0]?.['properties'] as Record<string, AnySchemaObject> | undefined;
  if (!first) return undefined;
  for (const [key, prop] of Object.entries(first)) {
    if (prop['const'] === undefined) continue;
    const all = branches.every((b) => (b['properties'] as Record<string, AnySchemaObject> | undefined)?.[key]?.['const'] !== undefined);
    if (all) return key;
  }
  return undefined;
}

function explainUnion(u: ErrorObject, base: string, branchValidator: BranchValidator): SchemaFinding[] {
  const pointer = base + u.instancePath;
  const value: unknown = u.data;
  const branches = branchesOf(u);
  const chosen = chooseBranch(branches, value, pointer);
  if ('findings' in chosen) return chosen.findings;
  const v = branchValidator(chosen.branch);
  if (v(value)) return [finding(pointer, 'value', 'anyOf', 'does not match any allowed form')];
  return explain(v.errors ?? [], pointer, branchValidator);
}

type Choice = { branch: AnySchemaObject } | { findings: SchemaFinding[] };

function chooseBranch(branches: readonly AnySchemaObject[], value: unknown, pointer: string): Choice {
  const objectBranches = branches.filter((b) => b['type'] === 'object');
  if (isObject(value) && objectBranches.length > 0) {
    const key = constDiscriminator(objectBranches);
    if (key != null) {
      const allowed = objectBranches.map((b) => (b['properties'] as Record<string, AnySchemaObject>)[key]?.['const']);
      if (!(key in value)) {
        return { findings: [finding(pointer, 'container', 'required', `missing required property \`${key}\``, `one of ${listOf(allowed)}`)] };
      }
      const match = objectBranches.find((b) => (b['properties'] as Record<string, AnySchemaObject>)[key]?.['const'] === value[key]);
      if (match) return { branch: match };
      const got = value[key];
      const shown = typeof got === 'string' ? got : String(JSON.stringify(got));
      const suggestion = typeof got === 'string' ? didYouMeanSuffix(got, allowed.map(String)) : '';
      return {
        findings: [finding(childPointer(pointer, key), 'value', 'const', `unknown ${key} \`${shown}\`${suggestion}`, `one of ${listOf(allowed)}`)],
      };
    }
    // Conditions: each form is told apart by the one property it requires.
    const markers = objectBranches.map((b) => (b['required'] as string[] | undefined)?.[0]).filter((k): k is string => k != null);
    const present = markers.filter((k) => k in value);
    if (present.length === 1) {
      const match = objectBranches.find((b) => (b['required'] as string[] | undefined)?.[0] === present[0]);
      if (match) return { branch: match };
    }
    if (present.length > 1) {
      return {
        findings: [
          finding(pointer, 'container', 'anyOf', `a condition has exactly one of ${listOf(markers)}; this one has ${listOf(present, 'and')}`, 'combine several with `all` or `any`'),
        ],
      };
    }
    const known = new Set(objectBranches.flatMap((b) => Object.keys((b['properties'] as object | undefined) ?? {})));
    const unknown = Object.keys(value).filter((k) => !known.has(k));
    const findings = unknown.map((k) => {
      const suggestion = didYouMean(k, markers) ?? didYouMean(k, known);
      return finding(
        childPointer(pointer, k),
        'key',
        'additionalProperties',
        `unknown property \`${k}\`${suggestion != null ? `; did you mean \`${suggestion}\`?` : ''}`,
        suggestion != null ? undefined : `a condition has one of ${listOf(markers)}`,
      );
    });
    if (findings.length > 0) return { findings };
    return { findings: [finding(pointer, 'container', 'required', `expected one of the properties ${listOf(markers)}`)] };
  }
  // Not an object: take the branch of the same JSON type (`17.5` → the integer branch explains).
  const typeMatch = branches.find((b) => typeMatches(b, value));
  if (typeMatch) return { branch: typeMatch };
  if (objectBranches.length === branches.length) {
    const markers = objectBranches.map((b) => (b['required'] as string[] | undefined)?.[0]).filter((k): k is string => k != null);
    return {
      findings: [finding(pointer, 'value', 'type', `expected an object with one of ${listOf(markers)}, found ${describeValue(value)}`)],
    };
  }
  return { findings: [finding(pointer, 'value', 'type', `expected ${branches.map(describeBranch).join(' or ')}, found ${describeValue(value)}`)] };
}

function typeMatches(branch: AnySchemaObject, value: unknown): boolean {
  const t = branch['type'];
  const types = Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
  return types.some((type) => jsonTypeMatches(type, value));
}

function jsonTypeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function describeBranch(b: AnySchemaObject): string {
  if (b['const'] !== undefined) return '`' + JSON.stringify(b['const']) + '`';
  if (b['type'] === 'object') {
    const marker = (b['required'] as string[] | undefined)?.[0];
    return marker != null ? `an object with \`${marker}\`` : 'an object';
  }
  return typeName(String(b['type']));
}

function typeName(type: string): string {
  switch (type) {
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return '`true` or `false`';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'null':
      return '`null`';
    default:
      return type;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string \`${JSON.stringify(value)}\``;
  return `\`${String(value)}\``;
}

const ID_PATTERN = '^[a-z0-9][a-z0-9._-]*$';
const SEMVER_PATTERN = '^\\d+\\.\\d+\\.\\d+$';
const ENV_PATTERN = '^[A-Z_][A-Z0-9_]*$';
const REGION_PATTERN = '^(\\*|[A-Z]{2}(-[A-Z0-9]{1,3})?)$';
const ID_HINT = 'use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit';
const REGION_HINT = 'an ISO 3166-1 alpha-2 code such as `GB`, optionally with a subdivision (`US-UT`), or `*` for every other region';

const VOCABULARIES: [string, readonly string[]][] = [
  ['category', CATEGORIES],
  ['assurance level', ASSURANCE_LEVELS],
  ['verification method', AGE_METHODS],
  ['unmet code', UNMET_CODES],
];

function vocabularyName(allowed: readonly unknown[]): string | undefined {
  for (const [name, values] of VOCABULARIES) {
    if (values.length === allowed.length && values.every((v, i) => v === allowed[i])) return name;
  }
  return undefined;
}

/** `stage` for `/rules/0/stage`, so an enum failure reads "unknown stage `outptu`". */
function lastSegmentName(pointer: string): string {
  const segment = pointer.slice(pointer.lastIndexOf('/') + 1);
  return segment === '' || /^\d+$/.test(segment) ? 'value' : segment;
}

function describe(e: ErrorObject, base: string, siblings: readonly ErrorObject[]): SchemaFinding | undefined {
  const pointer = base + e.instancePath;
  const params = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  // Errors about a property name arrive twice: once from the name's own schema (carrying
  // `propertyName`) and once as `propertyNames`; the latter is explained, the former skipped.
  if (e.propertyName != null) return undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((e.parentSchema?.['properties'] as object | undefined) ?? {});
      const suggestion = didYouMean(key, allowed);
      return finding(
        childPointer(pointer, key),
        'key',
        e.keyword,
        `unknown property \`${key}\`${suggestion != null ? `; did you mean \`${suggestion}\`?` : ''}`,
        suggestion == null && allowed.length > 0 ? `allowed here: ${listOf(allowed)}` : undefined,
      );
    }
    case 'required':
      return finding(pointer, 'container', e.keyword, `missing required property \`${String(params['missingProperty'])}\``);
    case 'propertyNames': {
      const name = String(params['propertyName']);
      const inner = siblings.find((s) => s.propertyName === name && s.instancePath === e.instancePath);
      return describePropertyName(childPointer(pointer, name), name, inner);
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[] | undefined) ?? [];
      const what = vocabularyName(allowed) ?? lastSegmentName(pointer);
      const got = typeof data === 'string' ? data : JSON.stringify(data);
      const suggestion = typeof data === 'string' ? didYouMean(data, allowed.map(String)) : undefined;
      return finding(
        pointer,
        'value',
        e.keyword,
        `unknown ${what} \`${got}\`${suggestion != null ? `; did you mean \`${suggestion}\`?` : ''}`,
        suggestion == null ? `one of ${listOf(allowed)}` : undefined,
      );
    }
    case 'const':
      return finding(pointer, 'value', e.keyword, `expected \`${JSON.stringify(params['allowedValue'])}\`, found ${describeValue(data)}`);
    case 'type': {
      const t = params['type'];
      const expected = (Array.isArray(t) ? (t as string[]) : String(t).split(',')).map(typeName).join(' or ');
      return finding(pointer, 'value', e.keyword, `expected ${expected}, found ${describeValue(data)}`);
    }
    case 'pattern':
      return describePattern(pointer, String(params['pattern']), data);
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const op = { minimum: '≥', exclusiveMinimum: '>', maximum: '≤', exclusiveMaximum: '<' }[e.keyword];
      return finding(pointer, 'value', e.keyword, `must be ${op} ${String(params['limit'])}, found ${describeValue(data)}`);
    }
    case 'minItems': {
      const limit = Number(params['limit']);
      return finding(pointer, 'value', e.keyword, limit === 1 ? 'must not be empty' : `needs at least ${limit} items`);
    }
    case 'minLength': {
      const limit = Number(params['limit']);
      return finding(pointer, 'value', e.keyword, limit === 1 ? 'must not be empty' : `needs at least ${limit} characters`);
    }
    case 'maxLength':
      return finding(pointer, 'value', e.keyword, `is longer than ${String(params['limit'])} characters`);
    default:
      return finding(pointer, 'value', e.keyword, e.message ?? `fails \`${e.keyword}\``);
  }
}

function describePattern(pointer: string, pattern: string, data: unknown): SchemaFinding {
  const got = `\`${String(data)}\``;
  switch (pattern) {
    case ID_PATTERN:
      return finding(pointer, 'value', 'pattern', `${got} is not a valid id`, ID_HINT);
    case SEMVER_PATTERN:
      return finding(pointer, 'value', 'pattern', `${got} is not a semantic version`, 'three numbers such as `2.0.0`');
    case ENV_PATTERN:
      return finding(
        pointer,
        'value',
        'pattern',
        `${got} is not an environment variable name`,
        'name the variable (`OPENAI_API_KEY`); never put the key itself in a policy',
      );
    case REGION_PATTERN:
      return finding(pointer, 'value', 'pattern', `${got} is not a region code`, REGION_HINT);
    default:
      return finding(pointer, 'value', 'pattern', `${got} does not match the pattern \`${pattern}\``);
  }
}

function describePropertyName(pointer: string, name: string, inner: ErrorObject | undefined): SchemaFinding {
  const pattern = String((inner?.params as Record<string, unknown> | undefined)?.['pattern'] ?? '');
  if (pattern === REGION_PATTERN) {
    const upper = name.toUpperCase();
    const suggestion = new RegExp(REGION_PATTERN).test(upper) ? `; did you mean \`${upper}\`?` : '';
    return finding(pointer, 'key', 'propertyNames', `\`${name}\` is not a region code${suggestion}`, REGION_HINT);
  }
  if (pattern === ID_PATTERN) return finding(pointer, 'key', 'propertyNames', `\`${name}\` is not a valid name`, ID_HINT);
  if (inner?.keyword === 'enum') {
    const allowed = ((inner.params as Record<string, unknown>)['allowedValues'] as unknown[] | undefined) ?? [];
    const suggestion = didYouMean(name, allowed.map(String));
    return finding(
      pointer,
      'key',
      'propertyNames',
      `unknown ${vocabularyName(allowed) ?? 'name'} \`${name}\`${suggestion != null ? `; did you mean \`${suggestion}\`?` : ''}`,
      suggestion == null ? `one of ${listOf(allowed)}` : undefined,
    );
  }
  if (inner?.keyword === 'maxLength') {
    return finding(pointer, 'key', 'propertyNames', `the name \`${name}\` is longer than ${String(inner.params['limit'])} characters`);
  }
  return finding(pointer, 'key', 'propertyNames', `\`${name}\` is not an allowed name`);
}
