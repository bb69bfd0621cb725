/**
 * RFC 8785 canonical JSON, as `src/util/canonical-json.ts`, tuned for the audit hot path (every
 * record is canonicalised once before it is hashed): no intermediate arrays, quoted keys cached.
 * A test checks it against the reference implementation on generated values.
 */
const quotedKeys = new Map<string, string>();
const MAX_CACHED_KEYS = 4096;

export function canonicalJsonFast(value: unknown): string {
  // A value whose objects already list their keys in canonical order is written by the native
  // JSON.stringify byte for byte as RFC 8785 wants (createAuditEvent builds its objects that way).
  if (typeof value === 'object' && value !== null && isCanonicalAsIs(value, 0)) return JSON.stringify(value);
  return canonicalSlow(value);
}

function canonicalSlow(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot canonicalise the number \`${value}\``);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          out += item === undefined ? 'null' : canonicalSlow(item);
        }
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      if (typeof obj['toJSON'] === 'function') return canonicalSlow((obj['toJSON'] as () => unknown)());
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = obj[key];
        if (item === undefined) continue;
        out += (first ? '' : ',') + quoteKey(key) + ':' + canonicalSlow(item);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`cannot canonicalise a value of type \`${typeof value}\``);
  }
}

export function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < MAX_CACHED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * True when JSON.stringify would produce the canonical form: plain objects whose own keys come in
 * sorted order (so no integer-like keys out of place), finite numbers, no undefined array items,
 * nothing with a toJSON, nothing JSON cannot hold.
 */
function isCanonicalAsIs(value: object, depth: number): boolean {
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!leafOk(item, depth)) return false;
    return true;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && !leafOk(item, depth)) return false;
  }
  return true;
}

function leafOk(item: unknown, depth: number): boolean {
  switch (typeof item) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(item);
    case 'object':
      return item === null || isCanonicalAsIs(item, depth + 1);
    default:
      return false;
  }
}
