/**
 * Limits checked on the raw text before any parser sees it. A policy is a document people read:
 * nothing legitimate comes near them, while an adversarial file can exhaust the stack of a
 * recursive parser (thousands of nested `not`s), or make error reporting quadratic (a property
 * name of millions of characters compared against every known name).
 */
export interface JsonLimits {
  /** Objects and arrays nested deeper than this are refused. */
  maxDepth: number;
  /** Longest property name, in UTF-16 code units. */
  maxKeyLength: number;
  /** Longest string value, in UTF-16 code units. */
  maxStringLength: number;
}

/** Largest policy, tests or subject file read, in bytes. */
export const MAX_JSON_FILE_BYTES = 4 * 1024 * 1024;

export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxDepth: 64,
  maxKeyLength: 1024,
  maxStringLength: 64 * 1024,
});

export interface LimitViolation {
  /** UTF-16 offset in the text where the limit was crossed. */
  offset: number;
  message: string;
  hint: string;
}

/**
 * One linear pass over the text, aware of strings and escapes, that finds the first place a
 * limit is exceeded. It does not validate JSON: syntax is the parser's job once the text is
 * known to be safe to hand over.
 */
export function findLimitViolation(text: string, limits: Readonly<JsonLimits> = DEFAULT_JSON_LIMITS): LimitViolation | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > limits.maxDepth) {
        return {
          offset: i,
          message: `nesting deeper than ${limits.maxDepth} levels`,
          hint: 'flatten the condition: `all`/`any` take lists, so nested `all`s or `any`s rarely need more than a few levels',
        };
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--;
    } else if (c === 0x22 /* " */) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      const length = i - start - 1;
      if (length > limits.maxKeyLength) {
        let j = i + 1;
        while (j < n && isJsonSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 0x3a /* : */) {
          return {
            offset: start,
            message: `property name of ${length} characters; at most ${limits.maxKeyLength} are accepted`,
            hint: 'property names are field names, ids and category names: short words',
          };
        }
      }
      if (length > limits.maxStringLength) {
        return {
          offset: start,
          message: `string of ${length} characters; at most ${limits.maxStringLength} are accepted`,
          hint: 'split long texts; a blocklist takes one term per entry',
        };
      }
    }
  }
  return undefined;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
