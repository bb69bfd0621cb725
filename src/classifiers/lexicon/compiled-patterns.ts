/**
 * What compiling lexicons and blocklists produces before the automaton's scanner is built: the
 * term variants and their roles, context rules, score slots and co-occurrence rules. The scanner
 * reads only this (and the automaton), so it can come from a fresh compilation or from a snapshot
 * of one (see lexicon-snapshot.ts).
 */

export const ROLE_TERM = 0;
export const ROLE_GROUP = 1;
export const ROLE_BLOCK = 2;

export interface CompiledRule {
  factor: number;
  before: number;
  after: number;
  /** A frame (see ContextRule `frame`): lowers a directly requested term only from inside the request. */
  frame: boolean;
  /** A frame that names the term (see ContextRule `namesTerm`): it also counts right after it. */
  namesTerm: boolean;
}

export interface Role {
  kind: typeof ROLE_TERM | typeof ROLE_GROUP | typeof ROLE_BLOCK;
  /** Score slot (term) / co-occurrence rule (group) / blocklist index (block). */
  slot: number;
  side: number;
  weight: number;
  written: string;
  rules: readonly number[];
  /** The term entry (one `terms[i]` of one lexicon) a term role was written in; -1 for groups and blocklists. */
  entry: number;
}

export interface Variant {
  /**
   * Where this variant's run lengths (and leet-`1` flags) start in the shared flat arrays; it
   * has as many as its key has chars.
   */
  at: number;
  /** Whether some position needs a leetspeak `1` in the text (the term has `l` there). */
  needsOne: boolean;
  /** Whether the key has bucketed chars, so a match must be checked against the variant's own chars. */
  bucketed: boolean;
  lead: number;
  /**
   * The term must end a word. Checked on the char after the match rather than with a trailing
   * separator in the key, which would cost the automaton one state per term.
   */
  boundaryAfter: boolean;
  extendStart: boolean;
  extendEnd: boolean;
  roles: Role[];
  /** Context rules this variant is a context term of. */
  contextOf: number[];
}

export interface Slot {
  category: number;
}

export interface CompiledCooccurrence {
  slot: number;
  window: number;
  /** `window: "text"`: the two terms may be anywhere in the text scanned. */
  wholeText: boolean;
  ordered: boolean;
  weight: number;
}

/** The compiled patterns as the scanner reads them. */
export interface CompiledPatterns {
  /** Run lengths of all variants' chars, one after the other (see `Variant.at`). */
  readonly runs: ArrayLike<number>;
  /** Per char of all variants: 1 where the text must have a leetspeak `1` (the term has `l`). */
  readonly ones: ArrayLike<number>;
  /** The chars of all variants (an automaton key may stand for several: see `bucketOf`). */
  readonly codes: ArrayLike<number>;
  /** Per automaton key, the variants it stands for. */
  readonly keyVariants: readonly (readonly number[])[];
  /** The longest key, in chars. */
  readonly maxKeyLength: number;
  readonly variants: readonly Variant[];
  readonly rules: readonly CompiledRule[];
  readonly slots: readonly Slot[];
  readonly cooccurrences: readonly CompiledCooccurrence[];
  /** The most words any term has. */
  readonly maxWords: number;
}
