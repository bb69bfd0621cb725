import { getLocation, parseTree, printParseErrorCode, visit, type Node, type ParseError } from 'jsonc-parser';
import { childPointer, formatPointer, parsePointer } from './json-pointer.js';
import type { PolicyIssue } from './policy-issue.js';
import { DEFAULT_JSON_LIMITS, findLimitViolation, type JsonLimits } from './json-limits.js';

/**
 * Where an issue points: the value itself, the key of the property holding it (unknown property),
 * or the opening brace of the object at the pointer (a property missing from it).
 */
export type PositionKind = 'value' | 'key' | 'container';

export interface SourcePosition {
  /** 1-based; 0 when the source has no text. */
  line: number;
  column: number;
  /** Sort key in document order: a UTF-16 offset in text, a depth-first ordinal in an object. */
  order: number;
}

/** A policy document together with what is needed to point back into its text. */
export interface JsonSource {
  /** Shown in issues: the path as given, or `<object>`. */
  readonly file: string;
  /** Absolute path of the file, for resolving `extends`; undefined for an object. */
  readonly path: string | undefined;
  /** The parsed document; undefined when the text has syntax errors. */
  readonly value: unknown;
  readonly syntaxIssues: readonly PolicyIssue[];
  locate(pointer: string, kind?: PositionKind): SourcePosition;
}

const PARSE_OPTIONS = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

export interface ParseJsonOptions {
  /**
   * Quote the offending text in syntax errors (default true). Off for files the user did not
   * name themselves (a base policy reached through `extends`), so that pointing `extends` at a
   * file is never a way to read it through error messages.
   */
  quote?: boolean;
  /** Depth and length limits checked before parsing (default `DEFAULT_JSON_LIMITS`). */
  limits?: Readonly<JsonLimits>;
}

/**
 * Parses strict JSON (no comments, no trailing commas, no duplicate keys) and keeps a source map.
 * The text must hold a JSON object; nesting and string lengths are bounded before parsing.
 */
export function parseJsonSource(text: string, file: string, path?: string, options: ParseJsonOptions = {}): JsonSource {
  // A byte-order mark is not part of the document and editors do not count it as a column.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const quote = options.quote ?? true;
  const lines = lineStarts(body);
  const position = (offset: number): SourcePosition => {
    const line = lineOf(lines, offset);
    return { line: line + 1, column: offset - (lines[line] ?? 0) + 1, order: offset };
  };
  const issue = (offset: number, message: string, hint?: string): PolicyIssue => {
    const p = position(offset);
    const result: PolicyIssue = { file, line: p.line, column: p.column, pointer: '', message, severity: 'error' };
    if (hint != null) result.hint = hint;
    return result;
  };

  const refused = refuseBeforeParsing(body, options.limits ?? DEFAULT_JSON_LIMITS, issue);
  const syntaxIssues = refused ? [refused] : syntaxErrors(body, issue, quote);
  const errors: ParseError[] = [];
  const root = refused ? undefined : parseTree(body, errors, PARSE_OPTIONS);
  let value: unknown;
  if (syntaxIssues.length === 0 && errors.length === 0 && root) {
    const duplicates: PolicyIssue[] = [];
    value = nodeValue(root, '', (key, first, pointer) => {
      const p = position(first.offset);
      duplicates.push({
        ...issue(key.offset, `duplicate property \`${String(key.value)}\` (first at line ${p.line}, column ${p.column})`),
        pointer,
        hint: 'a JSON reader keeps only one of them, silently; remove or rename the other',
      });
    });
    syntaxIssues.push(...duplicates);
    if (duplicates.length > 0) value = undefined;
  } else if (syntaxIssues.length === 0) {
    syntaxIssues.push(issue(0, 'the file is not valid JSON'));
  }

  return {
    file,
    path,
    value,
    syntaxIssues,
    locate(pointer, kind = 'value') {
      if (!root || value === undefined) return { line: 1, column: 1, order: 0 };
      return position(offsetOf(root, pointer, kind));
    },
  };
}

/**
 * What must not reach the parser: text over the limits (the parser recurses), and text that does
 * not even start like a JSON object, which is described without quoting it (it may be any file).
 */
function refuseBeforeParsing(body: string, limits: Readonly<JsonLimits>, issue: MakeIssue): PolicyIssue | undefined {
  const violation = findLimitViolation(body, limits);
  if (violation) return issue(violation.offset, violation.message, violation.hint);
  const start = body.search(/[^ \t\r\n]/);
  if (start >= 0 && body[start] !== '{') {
    return issue(start, 'the file is not a JSON object (it does not start with `{`)', 'policies, policy tests and subjects are JSON objects');
  }
  return undefined;
}

/**
 * A document given as an object. Anything JSON cannot hold (functions, `NaN`, cycles…) is an
 * issue; `undefined` properties are dropped, as JSON would.
 */
export function objectSource(doc: unknown, file = '<object>', basePath?: string, limits: Readonly<JsonLimits> = DEFAULT_JSON_LIMITS): JsonSource {
  const issues: PolicyIssue[] = [];
  const order = new Map<string, number>();
  const seen = new Set<object>();
  const copy = (v: unknown, pointer: string, depth: number): unknown => {
    order.set(pointer, order.size);
    const fail = (message: string): undefined => {
      issues.push({ file, line: 0, column: 0, pointer, message, severity: 'error' });
      return undefined;
    };
    if (typeof v === 'string' && v.length > limits.maxStringLength) return fail(`string of ${v.length} characters; at most ${limits.maxStringLength} are accepted`);
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : fail(`\`${v}\` is not a JSON number`);
    if (typeof v !== 'object') return fail(`a ${typeof v} is not a JSON value`);
    if (seen.has(v)) return fail('the object refers to itself (a cycle); JSON cannot hold it');
    if (depth > limits.maxDepth) return fail(`nesting deeper than ${limits.maxDepth} levels`);
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map((item, i) => copy(item, childPointer(pointer, i), depth + 1));
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return fail('only plain objects, arrays and JSON values are accepted');
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined) continue;
        if (k.length > limits.maxKeyLength) {
          fail(`property name of ${k.length} characters; at most ${limits.maxKeyLength} are accepted`);
          continue;
        }
        defineOwn(out, k, copy(item, childPointer(pointer, k), depth + 1));
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  const value = copy(doc, '', 1);
  return {
    file,
    path: basePath,
    value: issues.length === 0 ? value : undefined,
    syntaxIssues: issues,
    locate(pointer) {
      let p = pointer;
      for (;;) {
        const o = order.get(p);
        if (o != null || p === '') return { line: 0, column: 0, order: o ?? 0 };
        p = p.slice(0, p.lastIndexOf('/'));
      }
    },
  };
}

// `__proto__` must stay an ordinary own property so that the schema reports it as unknown
// instead of it silently replacing the object's prototype.
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function nodeValue(node: Node, pointer: string, onDuplicate: (key: Node, first: Node, pointer: string) => void): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const keys = new Map<string, Node>();
      for (const prop of node.children ?? []) {
        const [key, val] = prop.children ?? [];
        if (!key || !val) continue;
        const name = String(key.value);
        const childPtr = childPointer(pointer, name);
        const first = keys.get(name);
        if (first) onDuplicate(key, first, childPtr);
        else keys.set(name, key);
        defineOwn(out, name, nodeValue(val, childPtr, onDuplicate));
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c, i) => nodeValue(c, childPointer(pointer, i), onDuplicate));
    default:
      return node.value as unknown;
  }
}

function offsetOf(root: Node, pointer: string, kind: PositionKind): number {
  let node = root;
  let keyNode: Node | undefined;
  for (const segment of parsePointer(pointer)) {
    let next: Node | undefined;
    let nextKey: Node | undefined;
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        // The last duplicate wins, as it does for the value.
        if (k && v && k.value === segment) {
          next = v;
          nextKey = k;
        }
      }
    } else if (node.type === 'array' && /^\d+$/.test(segment)) {
      next = node.children?.[Number(segment)];
      nextKey = undefined;
    }
    if (!next) return node.offset; // the deepest part that exists
    node = next;
    keyNode = nextKey;
  }
  if (kind === 'key' && keyNode) return keyNode.offset;
  return node.offset;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type MakeIssue = (offset: number, message: string, hint?: string) => PolicyIssue;

/**
 * Syntax errors in readable words. The visitor tells whether an error happened inside an object
 * or an array, which the bare error codes do not, so "expected `,` or `}`" can name the right
 * bracket.
 */
function syntaxErrors(text: string, issue: MakeIssue, quote: boolean): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const stack: ('object' | 'array')[] = [];
  const reported = new Set<number>();
  let stopped = false;
  visit(
    text,
    {
      onObjectBegin: () => void stack.push('object'),
      onObjectEnd: () => void stack.pop(),
      onArrayBegin: () => void stack.push('array'),
      onArrayEnd: () => void stack.pop(),
      onError: (code, offset, length) => {
        if (stopped) return;
        const name = printParseErrorCode(code);
        const described = describeSyntaxError(name, text, offset, length, stack[stack.length - 1], quote);
        if (reported.has(described.offset)) return;
        reported.add(described.offset);
        // Best effort: the path the parser was in, for orientation in a long file (its property
        // names are the file's content too, so only where quoting is allowed).
        const pointer = quote ? formatPointer(getLocation(text, described.offset).path) : '';
        issues.push({ ...issue(described.offset, described.message, described.hint), pointer });
        // After most errors the parser's guess at what was meant makes the errors that follow
        // echoes of the first; only these few leave it exactly in step with the text.
        if (!described.clean) stopped = true;
      },
    },
    PARSE_OPTIONS,
  );
  return issues;
}

function describeSyntaxError(
  code: string,
  text: string,
  offset: number,
  length: number,
  context: 'object' | 'array' | undefined,
  quote: boolean,
): { offset: number; message: string; hint?: string; clean?: boolean } {
  const found =
    offset >= text.length ? 'the end of the file' : quote ? '`' + abbreviate(text.slice(offset, offset + Math.max(length, 1))) + '`' : 'other text';
  const close = context === 'array' ? ']' : '}';
  const trailingComma = (): number | undefined => {
    let i = offset - 1;
    while (i >= 0 && /\s/.test(text[i] ?? '')) i--;
    const next = text[offset];
    return text[i] === ',' && (next === '}' || next === ']') ? i : undefined;
  };
  switch (code) {
    case 'PropertyNameExpected':
    case 'ValueExpected': {
      const comma = trailingComma();
      if (comma != null) {
        return { offset: comma, message: 'trailing comma', hint: 'JSON allows no comma after the last item; remove it', clean: true };
      }
      if (text.trim() === '') return { offset, message: 'the file is empty; expected a JSON object' };
      return code === 'PropertyNameExpected'
        ? { offset, message: `expected a property name in double quotes, found ${found}` }
        : { offset, message: `expected a value, found ${found}` };
    }
    case 'ColonExpected':
      return { offset, message: `expected \`:\` after the property name, found ${found}` };
    case 'CommaExpected':
      return {
        offset,
        message: `expected \`,\` or \`${close}\`, found ${found}`,
        hint: 'a comma may be missing at the end of the previous line',
        clean: true,
      };
    case 'CloseBraceExpected':
      return { offset, message: `expected \`}\`, found ${found}` };
    case 'CloseBracketExpected':
      return { offset, message: `expected \`]\`, found ${found}` };
    case 'EndOfFileExpected':
      return { offset, message: `unexpected ${quote || offset >= text.length ? found : 'text'} after the end of the document` };
    case 'InvalidCommentToken':
      return {
        offset,
        message: 'comments are not allowed',
        hint: 'policies are strict JSON; put notes in `description` fields',
        clean: true,
      };
    case 'UnexpectedEndOfComment':
      return { offset, message: 'unterminated comment (and comments are not allowed)' };
    case 'UnexpectedEndOfString':
      return { offset, message: 'unterminated string' };
    case 'UnexpectedEndOfNumber':
      return { offset, message: quote ? `incomplete number ${found}` : 'incomplete number' };
    case 'InvalidNumberFormat':
      return { offset, message: quote ? `invalid number ${found}` : 'invalid number' };
    case 'InvalidUnicode':
      return { offset, message: 'invalid unicode escape; expected `\\u` and four hex digits' };
    case 'InvalidEscapeCharacter':
      return { offset, message: 'invalid escape sequence in a string' };
    case 'InvalidCharacter':
      return { offset, message: 'invalid character in a string', hint: 'control characters such as a newline must be escaped (`\\n`)' };
    case 'InvalidSymbol':
      return { offset, message: quote ? `unexpected ${found}` : 'unexpected text', hint: 'strings and property names need double quotes' };
    default:
      return { offset, message: `invalid JSON (${code})${quote ? ` at ${found}` : ''}` };
  }
}

function abbreviate(s: string): string {
  const line = s.split(/\r?\n/)[0] ?? '';
  return line.length > 20 ? line.slice(0, 20) + '…' : line;
}
