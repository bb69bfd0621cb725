/** How deep JSON text inside JSON strings is opened (each level is a string holding JSON). */
const MAX_NESTED_JSON = 4;
/** Deeper structures are not walked further: their text is still checked as written. */
const MAX_WALK_DEPTH = 64;

/**
 * The strings of a JSON text as a program that parses it sees them: every key and every string
 * value, one `key: value` per line, and a value that is itself JSON text (`"{\"q\": …}"`) opened
 * in turn, as a tool that parses it would. `undefined` when `json` is not JSON (or holds no
 * object or array); the caller then checks the text as written and decoded instead.
 */
export function jsonStringsText(json: string): string | undefined {
  const value = parseJson(json);
  if (value === undefined || typeof value !== 'object' || value === null) return undefined;
  const lines: string[] = [];
  walk(value, '', lines, 0, 0);
  return lines.join('\n');
}

function parseJson(text: string): unknown {
  const t = text.trim();
  if (t === '' || (t[0] !== '{' && t[0] !== '[' && t[0] !== '"')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function walk(value: unknown, key: string, lines: string[], depth: number, nested: number): void {
  if (depth > MAX_WALK_DEPTH) return;
  if (typeof value === 'string') {
    lines.push(key !== '' ? `${key}: ${value}` : value);
    if (nested < MAX_NESTED_JSON) {
      const inner = parseJson(value);
      if (inner !== undefined) walk(inner, '', lines, depth + 1, nested + 1);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (key !== '') lines.push(key);
    for (const item of value) walk(item, '', lines, depth + 1, nested);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    if (key !== '') lines.push(key);
    for (const [k, v] of Object.entries(value)) walk(v, k, lines, depth + 1, nested);
    return;
  }
  // Numbers, booleans and null carry no words; a key before them still does.
  if (key !== '') lines.push(key);
}
