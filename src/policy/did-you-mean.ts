/**
 * Optimal-string-alignment distance (Levenshtein plus transposition of two adjacent characters),
 * which catches the usual typing slips: `thresold`, `sexaul`, `sexual/minor`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The closest candidate to `input`, when it is close enough to be a plausible slip: a case-only
 * difference always counts; otherwise at most a third of the longer word may differ, or one
 * must be the start of the other.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    if (candidate === input) continue;
    const other = candidate.toLowerCase();
    // The distance is at least the difference in length: a word far longer or shorter than every
    // candidate is no slip, and measuring it would cost its length times theirs.
    const gap = Math.abs(lower.length - other.length);
    if (gap > Math.max(1, Math.floor(Math.max(lower.length, other.length) / 3)) || gap >= bestDistance) continue;
    const distance = other === lower ? 0 : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best != null) {
    const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
    if (bestDistance <= allowed) return best;
  }
  // `restricted-model` for `restricted`: a name with a word added or dropped.
  for (const candidate of list) {
    const c = candidate.toLowerCase();
    if (c.length >= 3 && lower.length >= 3 && c !== lower && (lower.startsWith(c) || c.startsWith(lower))) return candidate;
  }
  return undefined;
}

/** "; did you mean `x`?" or "" — for appending to a message. */
export function didYouMeanSuffix(input: string, candidates: Iterable<string>): string {
  const suggestion = didYouMean(input, candidates);
  return suggestion != null ? `; did you mean \`${suggestion}\`?` : '';
}

/** "`a`, `b` or `c`" */
export function listOf(values: readonly unknown[], conjunction = 'or'): string {
  const quoted = values.map((v) => '`' + (typeof v === 'string' ? v : JSON.stringify(v)) + '`');
  if (quoted.length <= 1) return quoted.join('');
  return quoted.slice(0, -1).join(', ') + ` ${conjunction} ` + quoted[quoted.length - 1];
}
