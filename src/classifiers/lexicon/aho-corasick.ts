/**
 * An Aho–Corasick automaton compiled to a dense DFA over a small alphabet: scanning costs one
 * table read per character and allocates nothing.
 *
 * The next state is `delta[state * alphabetSize + class]`. States are numbered so that every
 * state that ends a key (its own, or a shorter one through `dictionaryLink`) comes at or after
 * `firstOutputState`: the scan loop tests for output with one comparison.
 */
export interface Automaton {
  /** Char code → alphabet class: 0 for the word separator, 1 for chars no key uses. */
  readonly classOf: Uint16Array;
  readonly alphabetSize: number;
  /** 16-bit entries when the states fit, which halves the table and its cache misses. */
  readonly delta: Uint16Array | Uint32Array;
  readonly firstOutputState: number;
  /** Per state: the key it completes, or -1. Keys are distinct, so at most one per state. */
  readonly ownKey: Int32Array;
  /** Per state: the nearest state on its failure chain that completes a key, or -1. */
  readonly dictionaryLink: Int32Array;
  readonly keyLength: Int32Array;
  readonly states: number;
}

/** Class of the separator char; keys use it for word boundaries. */
export const CLASS_SEPARATOR = 0;
const CLASS_OTHER = 1;

/**
 * Builds the automaton for `keys` (distinct, non-empty arrays of char codes). `separator` is the
 * char code that gets class 0.
 */
export function buildAutomaton(keys: readonly (readonly number[])[], separator: number): Automaton {
  const classOf = new Uint16Array(65536).fill(CLASS_OTHER);
  classOf[separator] = CLASS_SEPARATOR;
  let alphabetSize = 2;
  let totalChars = 0;
  for (const key of keys) {
    if (key.length === 0) throw new Error('empty automaton key');
    totalChars += key.length;
    for (const c of key) {
      if (classOf[c] === CLASS_OTHER) classOf[c] = alphabetSize++;
    }
  }
  const K = alphabetSize;

  // Trie as first-child / next-sibling lists in typed arrays: no per-state objects to collect.
  const cap = totalChars + 1;
  const firstChild = new Int32Array(cap).fill(-1);
  const sibling = new Int32Array(cap).fill(-1);
  const label = new Int32Array(cap);
  const trieKey = new Int32Array(cap).fill(-1);
  let states = 1;
  keys.forEach((key, id) => {
    let s = 0;
    for (const c of key) {
      const cls = classOf[c]!;
      let child = firstChild[s]!;
      while (child !== -1 && label[child] !== cls) child = sibling[child]!;
      if (child === -1) {
        child = states++;
        label[child] = cls;
        sibling[child] = firstChild[s]!;
        firstChild[s] = child;
      }
      s = child;
    }
    if (trieKey[s] !== -1) throw new Error('duplicate automaton key');
    trieKey[s] = id;
  });
  if (states * K > 0x7fffffff) throw new Error('lexicon too large for the automaton');

  // Breadth-first order, with failure and dictionary links in trie numbering.
  const order = new Int32Array(states);
  const fail = new Int32Array(states);
  const link = new Int32Array(states).fill(-1);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const s = order[head]!;
    for (let child = firstChild[s]!; child !== -1; child = sibling[child]!) {
      order[tail++] = child;
      if (s === 0) continue;
      // The failure of a child: follow the parent's failures until one has the same edge.
      let f = fail[s]!;
      let target = -1;
      for (;;) {
        let g = firstChild[f]!;
        while (g !== -1 && label[g] !== label[child]) g = sibling[g]!;
        if (g !== -1) {
          target = g;
          break;
        }
        if (f === 0) break;
        f = fail[f]!;
      }
      const fc = target === -1 ? 0 : target;
      fail[child] = fc;
      link[child] = trieKey[fc] !== -1 ? fc : link[fc]!;
    }
  }

  // Numbering: states without output first, in breadth-first order (the shallow states where a
  // scan spends nearly all its time sit together at the start of the table), then the others.
  const hasOutput = (s: number): boolean => trieKey[s] !== -1 || link[s] !== -1;
  const id = new Int32Array(states);
  let next = 0;
  for (const s of order) if (!hasOutput(s)) id[s] = next++;
  const firstOutputState = next;
  for (const s of order) if (hasOutput(s)) id[s] = next++;

  const delta = states <= 0x10000 ? new Uint16Array(states * K) : new Uint32Array(states * K);
  const ownKey = new Int32Array(states).fill(-1);
  const dictionaryLink = new Int32Array(states).fill(-1);
  for (const s of order) {
    const row = id[s]! * K;
    if (s !== 0) delta.copyWithin(row, id[fail[s]!]! * K, id[fail[s]!]! * K + K);
    for (let child = firstChild[s]!; child !== -1; child = sibling[child]!) delta[row + label[child]!] = id[child]!;
    ownKey[id[s]!] = trieKey[s]!;
    dictionaryLink[id[s]!] = link[s] === -1 ? -1 : id[link[s]!]!;
  }
  return {
    classOf,
    alphabetSize: K,
    delta,
    firstOutputState,
    ownKey,
    dictionaryLink,
    keyLength: Int32Array.from(keys, (k) => k.length),
    states,
  };
}
