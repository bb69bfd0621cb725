/**
 * A necessary condition for case-insensitive regular expressions, tested in one pass over the
 * text's char codes: which of some groups of ASCII words occur anywhere in it, A–Z read as a–z.
 *
 * Why: V8 runs an `/i` alternation of a dozen words (`/combin|concaten|\bjoin|…/i`) at about
 * 5 ns per char, and the decoding gate ran two of them over every text (6 µs of a 600-char text).
 * The words are compiled into a small deterministic automaton (a few hundred states, a few KB),
 * walked with two table reads per char and no branch that depends on the text: a loop that
 * branched on "may a word start here?" lost more to mispredicted branches (4 µs) than the
 * patterns cost. A group's words are written so that every match of the pattern it stands for
 * contains one of them (leave out `\b`, write `[\s-]` as `.`), so a text where none occurs cannot
 * match, and the pattern itself still decides the rest.
 *
 * In a word, `.` stands for any one UTF-16 code unit, `#` for an ASCII digit, and `^` for a char
 * that is not an ASCII letter, digit or `_`, or the text's start (so `^ai` is what `\bai` needs
 * in a pattern without the `u` flag); every other char is itself (ASCII, letters in lower case).
 */
export type AsciiWordGroups = (text: string) => number;

/**
 * Which groups (bit `i` for `groups[i]`, at most 31 of them) have a word in the text. The words
 * are checked here; the automaton is built on the first call (a few milliseconds), so importing
 * a module that compiles its groups costs nothing.
 */
export function compileAsciiWordGroups(groups: ReadonlyArray<readonly string[]>): AsciiWordGroups {
  if (groups.length > 31) throw new RangeError('at most 31 word groups');
  const words: Array<{ chars: string; bit: number }> = [];
  groups.forEach((list, g) => {
    for (const chars of list) {
      if (chars.replace(/\^/g, '').length === 0 || chars.length > 255 || /[^\x00-\x7f]/.test(chars) || chars !== chars.toLowerCase()) {
        throw new RangeError(`word ${JSON.stringify(chars)}: ASCII, lower case, not empty, at most 255 chars`);
      }
      words.push({ chars, bit: 1 << g });
    }
  });
  const all = (1 << groups.length) - 1;
  let find: AsciiWordGroups | undefined;
  return (text) => (find ??= build(words, all))(text);
}

function build(words: ReadonlyArray<{ chars: string; bit: number }>, all: number): AsciiWordGroups {
  const { classOf, classes, digitClass } = charClasses(words.map((w) => w.chars));
  const K = classes.length;
  /** Does a word's char `ch` accept a char of class `k`? */
  const accepts = (ch: string, k: number): boolean => {
    if (ch === '.') return true;
    if (ch === '#') return k === digitClass || isDigitClass(classes[k]);
    if (ch === '^') return k === NON_WORD || !/^[a-z0-9_#]$/.test(classes[k] ?? 'w');
    return classes[k] === ch;
  };
  // Whether the char at `p` of word `w` accepts class `k`: `accepted[(first[w] + p) * K + k]`.
  const first: number[] = [];
  let chars = 0;
  for (const w of words) {
    first.push(chars);
    chars += w.chars.length;
  }
  const accepted = new Uint8Array(chars * K);
  words.forEach((w, i) => {
    for (let p = 0; p < w.chars.length; p++) for (let k = 0; k < K; k++) if (accepts(w.chars[p]!, k)) accepted[(first[i]! + p) * K + k] = 1;
  });
  // Subset construction: a state is the set of (word, chars matched so far) pairs still alive,
  // each `word × 256 + chars`, and the words just completed (so two ways into one set that
  // complete different words differ).
  const ids = new Map<string, number>();
  const sets: Array<{ alive: number[]; done: number }> = [];
  const intern = (alive: number[], done: number): number => {
    const key = `${done}|${alive.join(',')}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.length;
      ids.set(key, id);
      sets.push({ alive, done });
    }
    return id;
  };
  intern([], 0);
  // A word also starts at every char: what its first char does on each class, the same from every state.
  const startAlive: number[][] = [];
  const startDone: number[] = [];
  for (let k = 0; k < K; k++) {
    const alive: number[] = [];
    let done = 0;
    words.forEach((w, i) => {
      if (accepted[first[i]! * K + k] !== 1) return;
      if (w.chars.length === 1) done |= w.bit;
      else alive.push(i * 256 + 1);
    });
    startAlive.push(alive);
    startDone.push(done);
  }
  const next: number[] = [];
  for (let s = 0; s < sets.length; s++) {
    const { alive } = sets[s]!;
    for (let k = 0; k < K; k++) {
      const out: number[] = [];
      let done = startDone[k]!;
      for (const pair of alive) {
        const w = pair >> 8;
        const p = pair & 255;
        if (accepted[(first[w]! + p) * K + k] !== 1) continue;
        if (p + 1 === words[w]!.chars.length) done |= words[w]!.bit;
        else out.push(pair + 1);
      }
      // Stepped pairs have matched two chars or more, started ones one: no pair is in both.
      for (const pair of startAlive[k]!) out.push(pair);
      next[s * K + k] = intern(out.sort((a, b) => a - b), done);
    }
  }
  if (sets.length * K > 0xffff) throw new RangeError('word groups too large for the automaton');
  // Transitions hold the next state's row offset (state × K), so a step is one add and one read.
  const table = Uint16Array.from(next, (s) => s * K);
  const found = new Int32Array(sets.length * K);
  sets.forEach((set, s) => (found[s * K] = set.done));
  // The walk starts as if after a char that is no word char: `^` matches at the text's start.
  const start = table[NON_WORD]!;
  const startFound = found[start]!;
  return (text) => {
    let state = start;
    let seen = startFound;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      state = table[state + classOf[c < 128 ? c : 128]!]!;
      seen |= found[state]!;
    }
    return seen & all;
  };
}

/** The class of every char no word names that is not an ASCII letter, digit or `_` (non-ASCII ones included). */
const NON_WORD = 0;
/** The class of the ASCII letters, digits and `_` no word names. */
const OTHER_WORD = 1;

function isDigitClass(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && ch >= '0' && ch <= '9';
}

/**
 * Char classes: one per literal char of the words (A–Z with a–z), one for the other ASCII digits
 * when a word has `#`, one (OTHER_WORD) for the other ASCII letters, digits and `_`, and one
 * (NON_WORD) for everything else, code units from 128 up included. `classOf` has 129 entries: the
 * last is every code unit from 128 up.
 */
function charClasses(words: readonly string[]): { classOf: Uint8Array; classes: Array<string | undefined>; digitClass: number } {
  const classes: Array<string | undefined> = [undefined, undefined];
  const classOf = new Uint8Array(129);
  for (let c = 0; c < 128; c++) if (/[A-Za-z0-9_]/.test(String.fromCharCode(c))) classOf[c] = OTHER_WORD;
  for (const w of words) {
    for (const ch of w) {
      if (ch === '.' || ch === '#' || ch === '^' || classes.includes(ch)) continue;
      const k = classes.length;
      classes.push(ch);
      classOf[ch.charCodeAt(0)] = k;
      if (ch >= 'a' && ch <= 'z') classOf[ch.toUpperCase().charCodeAt(0)] = k;
    }
  }
  let digitClass = -1;
  if (words.some((w) => w.includes('#'))) {
    digitClass = classes.length;
    classes.push('#');
    for (let d = 0x30; d <= 0x39; d++) if (classOf[d] === OTHER_WORD) classOf[d] = digitClass;
  }
  if (classes.length > 255) throw new RangeError('too many distinct chars in the words');
  return { classOf, classes, digitClass };
}
