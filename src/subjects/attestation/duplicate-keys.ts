/**
 * Finds a member name that occurs twice in one JSON object, at any depth. JSON.parse keeps the
 * last occurrence silently, while another parser (the issuer's, an auditor's) may keep the first:
 * a token that means different things to different readers is refused. Escapes are decoded before
 * comparing, so `"a"` and `"\u0061"` are the same name. Returns the JSON pointer of the duplicate.
 * Syntax is left to JSON.parse; this only has to find strings and object boundaries correctly.
 */
export function findDuplicateKey(json: string): string | undefined {
  interface Frame {
    keys: Set<string> | undefined;
    expectKey: boolean;
    name: string;
    /** Element index, in arrays. */
    index: number;
  }
  const stack: Frame[] = [];
  let lastKey = '';
  const n = json.length;
  for (let i = 0; i < n; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i + 1;
      let escaped = false;
      i++;
      while (i < n) {
        const d = json.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i += 2;
          continue;
        }
        if (d === 0x22) break;
        i++;
      }
      const top = stack[stack.length - 1];
      if (top?.keys != null && top.expectKey) {
        let key = json.slice(start, i);
        if (escaped) {
          try {
            key = JSON.parse(`"${key}"`) as string;
          } catch {
            return undefined;
          }
        }
        if (top.keys.has(key)) return pointer(stack, key);
        top.keys.add(key);
        top.expectKey = false;
        lastKey = key;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const top = stack[stack.length - 1];
      const name = top != null && top.keys == null ? String(top.index) : lastKey;
      stack.push(c === 0x7b ? { keys: new Set(), expectKey: true, name, index: 0 } : { keys: undefined, expectKey: false, name, index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys != null) top.expectKey = true;
      else if (top != null) top.index++;
    }
  }
  return undefined;
}

function pointer(stack: { name: string }[], key: string): string {
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  return stack
    .slice(1)
    .map((f) => `/${escape(f.name)}`)
    .concat(`/${escape(key)}`)
    .join('');
}
