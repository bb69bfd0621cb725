/** A lexicon term as written, split into its text and where it may run into a longer word. */
export interface TermPattern {
  /** The term as written after brace expansion (what evidence reports as `match`). */
  written: string;
  /** The text to match, without wildcard asterisks. */
  text: string;
  /** `kill*`: the term may be the start of a longer word ("killing"). */
  prefix: boolean;
  /** `*fucker`: the term may be the end of a longer word ("motherfucker"). */
  suffix: boolean;
}

const MAX_EXPANSIONS = 1000;

/**
 * Expands `{a,b}` alternatives (`slut{,s}`) and `{1..17}` integer ranges, as a shell does.
 * Throws an `Error` whose message says what is wrong with the term.
 */
export function expandBraces(term: string): string[] {
  const open = term.indexOf('{');
  if (open < 0) {
    if (term.includes('}')) throw new Error('has a `}` without `{`');
    return [term];
  }
  const close = term.indexOf('}', open);
  if (close < 0) throw new Error('has a `{` without `}`');
  const inner = term.slice(open + 1, close);
  if (inner.includes('{')) throw new Error('has nested braces, which are not supported');
  const head = term.slice(0, open);
  const tails = expandBraces(term.slice(close + 1));
  let options: string[];
  const range = /^(\d+)\.\.(\d+)$/.exec(inner);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from) throw new Error(`has a descending range \`{${inner}}\``);
    if (to - from >= MAX_EXPANSIONS) throw new Error(`has a range \`{${inner}}\` that is too large`);
    options = [];
    for (let n = from; n <= to; n++) options.push(String(n));
  } else if (inner.includes(',')) {
    options = inner.split(',');
  } else {
    throw new Error(`has braces \`{${inner}}\` that are neither a list \`{a,b}\` nor a range \`{1..9}\``);
  }
  const out: string[] = [];
  for (const o of options) {
    for (const t of tails) {
      out.push(head + o + t);
      if (out.length > MAX_EXPANSIONS) throw new Error(`expands to more than ${MAX_EXPANSIONS} terms`);
    }
  }
  return out;
}

/** Reads the wildcard asterisks at either end; an asterisk inside (`f*ck`) is a literal char. */
export function parseTermPattern(written: string): TermPattern {
  let text = written.trim();
  const suffix = text.startsWith('*');
  if (suffix) text = text.slice(1);
  const prefix = text.endsWith('*');
  if (prefix) text = text.slice(0, -1);
  return { written, text, prefix, suffix };
}
