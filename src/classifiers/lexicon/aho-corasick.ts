/**
 * An Aho–Corasick automaton compiled to a DFA over a small alphabet: scanning allocates nothing
 * and costs one table read per character in the shallow states, where it spends over 90% of its
 * steps on ordinary text (a few more reads in the deep states described below).
 *
 * Only the shallow states (the first `denseDepth` chars of a key) get a dense row of next states,
 * `delta[state * alphabetSize + class]`. A scan spends nearly all its time there — ordinary words
 * leave a key's path within a few chars — while the deep states of long keys and phrases are most
 * of the states: dense rows for all of them made a 4 MB table, and reading it cost a cache miss
 * on most characters. A deep state keeps only its children and its failure state
 * (`nextState`); that path is taken while the text really follows a long key.
 *
 * States are numbered: dense without output, dense with output, sparse with output, sparse
 * without output, so "dense?" is `state < denseStates` and "output?" is one range check
 * (`isOutputState`). In that order the states a dense row can lead to (depth up to one past the
 * dense ones) have the lowest numbers of their groups: with the shipped lexicons they all fit
 * in 16 bits although the automaton has more states, which halves the dense table (4.6 → 2.3 MB at depth 6)
 * and the cache misses of reading it. (With the sparse groups the other way round, the row
 * targets went 104 past 65,535.)
 */
export interface Automaton {
  /** Char code → alphabet class: 0 for the word separator, 1 for chars no key uses. */
  readonly classOf: Uint16Array;
  readonly alphabetSize: number;
  /** Dense rows of the states below `denseStates`; 16-bit entries when the states they lead to fit. */
  readonly delta: Uint16Array | Uint32Array;
  readonly denseStates: number;
  /** The states from here (dense ones first, then sparse ones)… */
  readonly firstOutputState: number;
  /** …up to here have output; no other state has. */
  readonly outputStatesEnd: number;
  /** Sparse state s (≥ denseStates) has children at [childStart[s - denseStates], childStart[s - denseStates + 1]). */
  readonly childStart: Int32Array;
  readonly childClass: Uint16Array;
  readonly childState: Int32Array;
  /** Failure state of each sparse state (index s - denseStates). */
  readonly sparseFail: Int32Array;
  /** Per state: the key it completes, or -1. Keys are distinct, so at most one per state. */
  readonly ownKey: Int32Array;
  /** Per state: the nearest state on its failure chain that completes a key, or -1. */
  readonly dictionaryLink: Int32Array;
  readonly keyLength: Int32Array;
  readonly states: number;
}

/**
 * Key chars that get a dense row: 5 covers a leading separator plus four letters. With the
 * shipped lexicons that is 8,751 dense states, a 1.5 MB table, where depth 6 made 14,170 and
 * 2.5 MB: the walk steps a little more often through sparse states, but the table it reads on
 * nearly every char is 40% smaller, and the classifier as a whole measured faster with it
 * (bench:classify and CPU time per text, each build in its own process, interleaved).
 */
const DENSE_DEPTH = 5;

/** The state after reading a char of class `cls` in `state`. */
export function nextState(a: Automaton, state: number, cls: number): number {
  let s = state;
  for (;;) {
    if (s < a.denseStates) return a.delta[s * a.alphabetSize + cls]!;
    const k = s - a.denseStates;
    const end = a.childStart[k + 1]!;
    for (let x = a.childStart[k]!; x < end; x++) if (a.childClass[x] === cls) return a.childState[x]!;
    s = a.sparseFail[k]!;
  }
}

/** Whether `state` completes a key, itself or through its dictionary link. */
export function isOutputState(a: Automaton, state: number): boolean {
  return state >= a.firstOutputState && state < a.outputStatesEnd;
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

  // Numbering (see Automaton): breadth-first within each of the four groups, so the shallow
  // states where a scan spends nearly all its time sit together at the start of the table, and
  // the sparse states a dense row leads to at the start of theirs.
  const hasOutput = (s: number): boolean => trieKey[s] !== -1 || link[s] !== -1;
  const depth = new Int32Array(states);
  for (const s of order) for (let child = firstChild[s]!; child !== -1; child = sibling[child]!) depth[child] = depth[s]! + 1;
  const dense = (s: number): boolean => depth[s]! <= DENSE_DEPTH;
  const id = new Int32Array(states);
  let next = 0;
  for (const s of order) if (dense(s) && !hasOutput(s)) id[s] = next++;
  const firstOutputState = next;
  for (const s of order) if (dense(s) && hasOutput(s)) id[s] = next++;
  const denseStates = next;
  for (const s of order) if (!dense(s) && hasOutput(s)) id[s] = next++;
  const outputStatesEnd = next;
  for (const s of order) if (!dense(s) && !hasOutput(s)) id[s] = next++;

  // A dense row leads to a dense state or to a child of one (and copies its failure's row, which
  // is dense too): the highest such number decides the width of the table's entries.
  let highestRowTarget = 0;
  for (let s = 0; s < states; s++) if (depth[s]! <= DENSE_DEPTH + 1 && id[s]! > highestRowTarget) highestRowTarget = id[s]!;
  const delta = highestRowTarget < 0x10000 ? new Uint16Array(denseStates * K) : new Uint32Array(denseStates * K);
  const sparse = states - denseStates;
  const childStart = new Int32Array(sparse + 1);
  const sparseFail = new Int32Array(sparse);
  const byId = new Int32Array(states);
  for (let s = 0; s < states; s++) byId[id[s]!] = s;
  let children = 0;
  for (let k = 0; k < sparse; k++) {
    childStart[k] = children;
    for (let child = firstChild[byId[denseStates + k]!]!; child !== -1; child = sibling[child]!) children++;
  }
  childStart[sparse] = children;
  const childClass = new Uint16Array(children);
  const childState = new Int32Array(children);
  const ownKey = new Int32Array(states).fill(-1);
  const dictionaryLink = new Int32Array(states).fill(-1);
  // Breadth-first, so a state's failure row (always shallower) is complete before it is copied.
  for (const s of order) {
    const me = id[s]!;
    if (me < denseStates) {
      const row = me * K;
      if (s !== 0) {
        // The failure state is shallower, so it is dense too.
        const failRow = id[fail[s]!]! * K;
        delta.copyWithin(row, failRow, failRow + K);
      }
      for (let child = firstChild[s]!; child !== -1; child = sibling[child]!) delta[row + label[child]!] = id[child]!;
    } else {
      const k = me - denseStates;
      sparseFail[k] = id[fail[s]!]!;
      let x = childStart[k]!;
      for (let child = firstChild[s]!; child !== -1; child = sibling[child]!, x++) {
        childClass[x] = label[child]!;
        childState[x] = id[child]!;
      }
    }
    ownKey[me] = trieKey[s]!;
    dictionaryLink[me] = link[s] === -1 ? -1 : id[link[s]!]!;
  }
  return {
    classOf,
    alphabetSize: K,
    delta,
    denseStates,
    firstOutputState,
    outputStatesEnd,
    childStart,
    childClass,
    childState,
    sparseFail,
    ownKey,
    dictionaryLink,
    keyLength: Int32Array.from(keys, (k) => k.length),
    states,
  };
}
