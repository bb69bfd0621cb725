import { createHash } from 'node:crypto';
import type { Evidence } from '../classifier.js';
import { CATEGORIES, type Category, type Scores } from '../../taxonomy/categories.js';
import { canonicalJson } from '../../util/canonical-json.js';
import { buildAutomaton, type Automaton } from './aho-corasick.js';
import { createAutomatonWalker, createKernelAutomatonWalker, type AutomatonWalker } from './automaton-walker.js';
import { LexiconError } from './lexicon-error.js';
import { LexiconSchema, type ContextRule, type GroupEntry, type Lexicon, type TermEntry } from './lexicon-schema.js';
import { FLAG_ONE, SPACE, TextNormaliser } from './normalise-text.js';
import { buildOutputChecks, CHECK_BUCKETED, CHECK_ENDS_WORD, CHECK_INTS, CHECK_NEEDS_ONE, CHECK_ROLES, CHECK_SPAN } from './output-checks.js';
import { expandBraces, parseTermPattern } from './term-pattern.js';
import { isAsideFrame, modifiesHit, modifiesHitFrom, requestClause, type RequestClause } from './request-clause.js';
import {
  ROLE_BLOCK,
  ROLE_GROUP,
  ROLE_TERM,
  type CompiledCooccurrence,
  type CompiledPatterns,
  type CompiledRule,
  type Role,
  type Slot,
  type Variant,
} from './compiled-patterns.js';

/** A policy blocklist: any of its terms scores `blocklist` 1, with the list id in the evidence. */
export interface Blocklist {
  id: string;
  terms: readonly string[];
}

/** A new object and a new array on every scan: callers may keep or modify them (the embedded classifier does). */
export interface LexiconScanResult {
  /** Every category of the lexicon set, 0 when nothing matched. */
  scores: Scores;
  evidence: Evidence[];
}

/** An immutable matcher for a set of lexicons and blocklists. */
export interface CompiledLexicon {
  readonly categories: readonly Category[];
  /** Changes whenever the lexicon content or the matching engine changes. */
  readonly version: string;
  /**
   * Scores `text`. `preceding` is text that came before it and was checked already (earlier
   * windows of a streamed answer): it scores nothing itself, but its terms count as context and
   * as the partner of a co-occurrence whose other term is in `text`, so a child's age stated
   * in one window still counts with sexual content in a later one. Only its last
   * `PRECEDING_MAX_CHARS` are read. Evidence offsets are into `text`.
   */
  scan(text: string, preceding?: string): LexiconScanResult;
  /** The size of the matcher, to keep an eye on as lists grow (see classifiers/lexicons/README.md). */
  readonly size: LexiconSize;
}

export interface LexiconSize {
  /** Automaton states (one per distinct prefix of an expanded term). */
  states: number;
  /** States with a full row of next states (the shallow ones, where a scan spends its time). */
  denseStates: number;
  /** Distinct characters the terms use, plus the separator and "any other". */
  alphabetSize: number;
  /** Bytes of the automaton's tables. */
  tableBytes: number;
}

/**
 * How much of `preceding` a scan reads: a streamed answer is checked every few hundred chars,
 * and reading all of it each time would make checking a long answer quadratic.
 */
export const PRECEDING_MAX_CHARS = 16384;

export interface CompileLexiconOptions {
  /**
   * At most this many evidence spans per scan (scores still count every hit), so a huge text
   * full of hits keeps memory bounded. The first hit of each blocklist is kept on top of that.
   * 1000 by default.
   */
  maxEvidence?: number;
  /**
   * For tests: `false` walks every text in one piece instead of long ones as two interleaved
   * halves (see automaton-walker.ts), which finds the same matches in more time.
   */
  splitWalk?: boolean;
  /**
   * For tests: `false` keeps the normaliser's fast path and the automaton walk in JavaScript
   * instead of WebAssembly (the fallback where WebAssembly cannot run); the matches are the same.
   */
  kernel?: boolean;
}

/** Bump when normalisation or matching changes, so cached results keyed by version expire. */
export const LEXICON_ENGINE_VERSION = 'lexicon-22';

/**
 * How far, in chars, a context is looked for around a hit, besides its window in words: well past
 * any window of spaced text (40 words), it bounds the scan in unspaced runs, where a word is the run.
 */
const CONTEXT_CHAR_REACH = 1000;

const DEFAULT_WINDOW = 4;
const DEFAULT_MAX_EVIDENCE = 1000;
/** Longer texts are scanned in segments so memory stays bounded whatever the text size. */
const SEGMENT = 32768;
/** Each segment also reads this much text on both sides, so context near its edges is seen. */
const MARGIN = 2048;
const CUT_SLACK = 256;

/** A group hit kept for a whole-text co-occurrence: one of the two strongest of its side. */
interface HeldHit {
  w: number;
  start: number;
  end: number;
  written: string;
}

/** Collects patterns from lexicons and blocklists; the automaton is built from the result. */
class PatternSet implements CompiledPatterns {
  /** Terms are short and normalised once: the JavaScript path, without a WebAssembly instance per set. */
  readonly normaliser = new TextNormaliser({ kernel: false });
  /** Run lengths and leet-`1` flags of all variants, one after the other. */
  readonly runs: number[] = [];
  readonly ones: number[] = [];
  /** The chars of all variants (flat, like `runs`): an automaton key may stand for several (see `bucketOf`). */
  readonly codes: number[] = [];
  /** Chars of other scripts the terms use, each read as its bucket by the automaton. */
  readonly bucketed = new Set<number>();
  readonly keys: number[][] = [];
  readonly keyIds = new Map<string, number>();
  readonly keyVariants: number[][] = [];
  readonly variants: Variant[] = [];
  private readonly variantIds = new Map<string, number>();
  readonly rules: CompiledRule[] = [];
  readonly slots: Slot[] = [];
  private readonly slotIds = new Map<string, number>();
  readonly cooccurrences: CompiledCooccurrence[] = [];
  maxWords = 1;

  get maxKeyLength(): number {
    return this.keys.reduce((m, k) => Math.max(m, k.length), 0);
  }

  /** A dry set only checks terms (for `lexiconProblems`) and builds no variants. */
  constructor(private readonly dry = false) {}

  private entries = 0;

  /** A new id for one `terms[i]` entry: terms of one entry are one piece of evidence (see `mergeNestedTerms`). */
  newEntry(): number {
    return this.entries++;
  }

  slotFor(category: number, identity: string): number {
    const key = `${category}\u0000${identity}`;
    let id = this.slotIds.get(key);
    if (id == null) {
      id = this.slots.length;
      this.slots.push({ category });
      this.slotIds.set(key, id);
    }
    return id;
  }

  /**
   * Adds one written term (before brace expansion); `attach` gets, per expanded term, the
   * variants that match it. Returns problems, empty when fine. `leet` adds the variants that
   * read a leetspeak `1` as `l`, for single words only: phrases are rarely written in leet and
   * each `l` doubles the patterns.
   */
  add(written: string, attach: (variants: Variant[], expanded: string) => void, leet = true, joined?: ReadonlySet<string>): string[] {
    let expanded: string[];
    try {
      expanded = expandBraces(written);
    } catch (err) {
      return [`term \`${written}\` ${(err as Error).message}`];
    }
    const problems: string[] = [];
    for (const term of expanded) {
      const pattern = parseTermPattern(term);
      const chars = this.normaliseTerm(pattern.text);
      if (chars == null) {
        problems.push(`term \`${term}\` has no letters or digits to match`);
        continue;
      }
      // Han, kana and Hangul are written without spaces between words (and Korean glues
      // particles to its nouns), so a term that starts or ends with one matches as a character
      // sequence there: "炸弹" inside "如何制作炸弹", "폭탄" in "폭탄을". Its evidence stays the
      // characters matched rather than growing to the whole unspaced clause.
      const openStart = pattern.suffix || isUnspacedScript(chars[0]!.code);
      const openEnd = pattern.prefix || isUnspacedScript(chars[chars.length - 1]!.code);
      if ((pattern.prefix || pattern.suffix) && chars.length < 3 && !(openStart && openEnd && chars.every((c) => isUnspacedScript(c.code)))) {
        problems.push(`term \`${term}\` is too short for a wildcard: it would match too many words`);
        continue;
      }
      if (this.dry) {
        attach([], term);
        continue;
      }
      const forms = leet && !chars.some((c) => c.code === SPACE) ? lVariants(chars) : [chars];
      const together = joined && !pattern.prefix && !pattern.suffix ? joinedPhrase(chars) : undefined;
      if (together && joined && !joined.has(pattern.text.replace(/\s+/g, '').toLowerCase())) forms.push(together);
      attach(
        forms.map((v) => this.variant(v, openStart, openEnd, pattern.suffix, pattern.prefix)),
        term,
      );
    }
    return problems;
  }

  private normaliseTerm(text: string): TermChar[] | null {
    const n = this.normaliser;
    n.normalise(text);
    if (n.length <= 1) return null;
    const out: TermChar[] = [];
    const last = n.code[n.length - 1] === SPACE ? n.length - 1 : n.length;
    let words = 1;
    for (let p = 1; p < last; p++) {
      if (n.code[p] === SPACE) words++;
      out.push({ code: n.code[p]!, run: n.run[p]!, one: 0 });
    }
    if (words > this.maxWords) this.maxWords = words;
    return out.length > 0 ? out : null;
  }

  private variant(chars: readonly TermChar[], openStart: boolean, openEnd: boolean, extendStart: boolean, extendEnd: boolean): Variant {
    const codes: number[] = [];
    const runs: number[] = [];
    const ones: number[] = [];
    const push = (code: number, run: number, one: number): void => {
      codes.push(code);
      runs.push(run);
      ones.push(one);
    };
    if (!openStart) push(SPACE, 1, 0);
    for (const c of chars) push(c.code, c.run, c.one);
    // The automaton key reads chars of other scripts as their buckets; the variant keeps its chars.
    const keyCodes = codes.map((c) => {
      const b = bucketOf(c);
      if (b !== c) this.bucketed.add(c);
      return b;
    });
    const keyString = String.fromCharCode(...keyCodes);
    const signature = `${String.fromCharCode(...codes)}\u0000${String.fromCharCode(...runs)}\u0000${String.fromCharCode(...ones)}\u0000${openEnd ? '*' : ''}${extendStart ? '<' : ''}${extendEnd ? '>' : ''}`;
    const known = this.variantIds.get(signature);
    if (known != null) return this.variants[known]!;
    let keyId = this.keyIds.get(keyString);
    if (keyId == null) {
      keyId = this.keys.length;
      this.keys.push(keyCodes);
      this.keyIds.set(keyString, keyId);
      this.keyVariants.push([]);
    }
    const variant: Variant = {
      at: this.runs.length,
      needsOne: ones.includes(1),
      bucketed: keyCodes.some((c, i) => c !== codes[i]),
      lead: openStart ? 0 : 1,
      boundaryAfter: !openEnd,
      extendStart,
      extendEnd,
      roles: [],
      contextOf: [],
    };
    this.runs.push(...runs);
    this.ones.push(...ones);
    this.codes.push(...codes);
    const id = this.variants.length;
    this.variants.push(variant);
    this.variantIds.set(signature, id);
    this.keyVariants[keyId]!.push(id);
    return variant;
  }
}

/**
 * Han (with its compatibility ideographs), Hiragana, Katakana and Hangul syllables, Thai, Lao,
 * Khmer and Myanmar: scripts whose words are not separated by spaces (Korean is, but its
 * particles attach to the word; Thai and its neighbours put spaces between phrases, not words).
 */
export function isUnspacedScript(code: number): boolean {
  return (
    (code >= 0x0e00 && code <= 0x0eff) ||
    (code >= 0x1000 && code <= 0x109f) ||
    (code >= 0x1780 && code <= 0x17ff) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xac00 && code <= 0xd7a3)
  );
}

/**
 * Chars of scripts other than Latin (Cyrillic, Arabic, Han, kana, Hangul…) number in the
 * hundreds, and every distinct key char widens every dense row of the automaton by one entry:
 * 500 of them made the tables ~40 MB. So the automaton reads each such char as one of
 * `BUCKETS` shared classes (a private-use code that never occurs in the normalised stream), and
 * a key match whose variant has such chars is confirmed against its real chars (`verify`).
 * Buckets make a few more candidate matches to check, never a missed one.
 */
const BUCKETS = 48;
const BUCKET_BASE = 0xe000;
const FIRST_BUCKETED = 0x0250;

export function bucketOf(code: number): number {
  if (code < FIRST_BUCKETED || code === SPACE) return code;
  return BUCKET_BASE + (Math.imul(code, 0x9e3779b1) >>> 0) % BUCKETS;
}

/** A phrase's words must be at least this long to be matched written together (see `joinedPhrase`). */
const MIN_JOINED_WORD = 4;
const MAX_JOINED_WORDS = 3;

/**
 * A phrase of two or three words of four or more letters, written without its spaces: "pipebomb",
 * "killyourself", a hashtag, or words joined by an invisible space that is dropped. Shorter words
 * are left out since joined they make other words ("the rapist", "therapist"). Undefined for a
 * single word or a phrase that does not qualify.
 */
function joinedPhrase(chars: readonly TermChar[]): TermChar[] | undefined {
  let words = 1;
  let length = 0;
  for (const c of chars) {
    if (c.code !== SPACE) {
      length += Math.max(1, c.run); // a doubled letter is one char of its run ("kill": k, i, l×2)
      continue;
    }
    if (length < MIN_JOINED_WORD || ++words > MAX_JOINED_WORDS) return undefined;
    length = 0;
  }
  if (words < 2 || length < MIN_JOINED_WORD) return undefined;
  return chars.filter((c) => c.code !== SPACE);
}

interface TermChar {
  code: number;
  run: number;
  one: number;
}

const L = 0x6c;
const I = 0x69;
const MAX_L_RUNS = 3;

/**
 * The term itself plus, for each run of `l`, a variant where that run is an `i` that must come
 * from a leetspeak `1` in the text ("a$$ho1e"), since `1` is read as `i`.
 */
function lVariants(chars: readonly TermChar[]): TermChar[][] {
  const lRuns: number[] = [];
  chars.forEach((c, i) => {
    if (c.code === L) lRuns.push(i);
  });
  const out: TermChar[][] = [[...chars]];
  if (lRuns.length === 0) return out;
  const masks: number[] = [];
  if (lRuns.length <= MAX_L_RUNS) for (let m = 1; m < 1 << lRuns.length; m++) masks.push(m);
  else for (let b = 0; b < lRuns.length; b++) masks.push(1 << b);
  for (const mask of masks) {
    const swapped = chars.map((c) => ({ ...c }));
    lRuns.forEach((at, b) => {
      if (mask & (1 << b)) swapped[at] = { code: I, run: chars[at]!.run, one: 1 };
    });
    // Adjacent equal chars merge as they do in the text ("ki11" is one run of i).
    const merged: TermChar[] = [];
    for (const c of swapped) {
      const prev = merged[merged.length - 1];
      if (prev && prev.code === c.code && c.code !== SPACE) {
        prev.run = Math.min(255, prev.run + c.run);
        prev.one |= c.one;
      } else merged.push({ ...c });
    }
    out.push(merged);
  }
  return out;
}

function labelOf(lexicon: unknown): string {
  const category = (lexicon as { category?: unknown } | null)?.category;
  return `lexicon \`${typeof category === 'string' ? category : '?'}\``;
}

/**
 * Adds one lexicon to the pattern set. Returns its problems (unknown context names or groups,
 * terms with nothing to match, duplicates), empty when it is usable.
 */
function addLexicon(set: PatternSet, lexicon: Lexicon): string[] {
  const problems: string[] = [];
  const category = CATEGORIES.indexOf(lexicon.category);
  const window = lexicon.window ?? DEFAULT_WINDOW;

  const compileRule = (rule: ContextRule, where: string): number => {
    const id = set.rules.length;
    const w = rule.window ?? window;
    const side = rule.side ?? 'both';
    set.rules.push({ factor: rule.factor, before: side === 'after' ? -1 : w, after: side === 'before' ? -1 : w, frame: rule.frame === true || rule.namesTerm === true, namesTerm: rule.namesTerm === true });
    for (const t of rule.terms) {
      problems.push(
        ...set
          .add(
            t,
            (variants) => {
              for (const v of variants) if (!v.contextOf.includes(id)) v.contextOf.push(id);
            },
            false,
          )
          .map((p) => `${where}: ${p}`),
      );
    }
    return id;
  };
  const named = new Map<string, number>();
  for (const [name, rule] of Object.entries(lexicon.contexts ?? {})) named.set(name, compileRule(rule, `contexts.${name}`));
  const resolve = (refs: readonly (string | ContextRule)[] | undefined, where: string): number[] => {
    const ids: number[] = [];
    (refs ?? []).forEach((ref, i) => {
      if (typeof ref === 'string') {
        const id = named.get(ref);
        if (id == null) problems.push(`${where}: unknown context \`${ref}\``);
        else ids.push(id);
      } else ids.push(compileRule(ref, `${where}[${i}]`));
    });
    return ids;
  };
  const defaults = resolve(lexicon.defaultContext, 'defaultContext');

  const seen = new Set<string>();
  const checkDuplicate = (term: string, where: string): void => {
    const key = term.trim().toLowerCase();
    if (seen.has(key)) problems.push(`${where}: duplicate term \`${term}\``);
    seen.add(key);
  };
  const listOf = (entry: TermEntry | GroupEntry): string[] => (Array.isArray(entry.term) ? entry.term : [entry.term]);

  // A phrase is also matched written as one word, unless the lexicon lists that word itself.
  const singleWords = new Set<string>();
  for (const entry of lexicon.terms) {
    for (const written of listOf(entry)) {
      let expanded: string[];
      try {
        expanded = expandBraces(written);
      } catch {
        continue; // reported where the term is added
      }
      for (const t of expanded) singleWords.add(parseTermPattern(t).text.toLowerCase());
    }
  }
  lexicon.terms.forEach((entry, i) => {
    const where = `terms[${i}]`;
    const rules = [...defaults, ...resolve(entry.context, `${where}.context`)];
    const entryId = set.newEntry();
    for (const written of listOf(entry)) {
      problems.push(
        ...set
          .add(
            written,
            (variants, expanded) => {
              checkDuplicate(expanded, where);
              const slot = set.slotFor(category, expanded);
              for (const v of variants) v.roles.push({ kind: ROLE_TERM, slot, side: 0, weight: entry.weight, written: expanded, rules, entry: entryId });
            },
            true,
            singleWords,
          )
          .map((p) => `${where}: ${p}`),
      );
    }
  });

  const groupNames = new Set(Object.keys(lexicon.groups ?? {}));
  (lexicon.cooccurrence ?? []).forEach((rule, i) => {
    for (const g of rule.groups) if (!groupNames.has(g)) problems.push(`cooccurrence[${i}]: unknown group \`${g}\``);
    if (rule.groups[0] === rule.groups[1]) problems.push(`cooccurrence[${i}]: needs two different groups`);
    if (rule.window === 'text' && rule.ordered) problems.push(`cooccurrence[${i}]: \`ordered\` needs a window in words, not \`"text"\``);
  });
  const cooc = (lexicon.cooccurrence ?? []).map((rule) => {
    const id = set.cooccurrences.length;
    set.cooccurrences.push({
      // Rules over the same two groups (a near window, a wider one, the whole text) share one
      // score: a pair counts once, at the strongest weight any of them gives it, rather than
      // once per rule, which would let a pair too far apart for the near rule add up past it.
      slot: set.slotFor(category, `cooccurrence:${[...rule.groups].sort().join('+')}`),
      window: rule.window === 'text' ? 0 : rule.window,
      wholeText: rule.window === 'text',
      ordered: rule.ordered ?? false,
      weight: rule.weight,
    });
    return { id, rule };
  });
  for (const [name, entries] of Object.entries(lexicon.groups ?? {})) {
    const groupSeen = new Set<string>();
    const uses = cooc.flatMap(({ id, rule }) => rule.groups.map((g, side) => ({ id, side, g })).filter((u) => u.g === name));
    if (uses.length === 0) problems.push(`groups.${name}: not used by any cooccurrence rule`);
    entries.forEach((entry, i) => {
      const where = `groups.${name}[${i}]`;
      const rules = resolve(entry.context, `${where}.context`);
      for (const written of listOf(entry)) {
        problems.push(
          ...set
            .add(written, (variants, expanded) => {
              const key = expanded.trim().toLowerCase();
              if (groupSeen.has(key)) problems.push(`${where}: duplicate term \`${expanded}\``);
              groupSeen.add(key);
              for (const v of variants) {
                for (const u of uses) {
                  v.roles.push({ kind: ROLE_GROUP, slot: u.id, side: u.side, weight: entry.weight ?? 1, written: expanded, rules, entry: -1 });
                }
              }
            })
            .map((p) => `${where}: ${p}`),
        );
      }
    });
  }
  return [...new Set(problems)];
}

/**
 * Checks what the schema cannot: context names and groups that exist, terms that normalise to
 * something, no duplicates. Returns the problems, empty when the lexicon is usable.
 */
export function lexiconProblems(lexicon: Lexicon): string[] {
  return addLexicon(new PatternSet(true), lexicon);
}

/**
 * The file name a lexicon for `category` must have (`sexual/minors` → `sexual__minors.json`);
 * with a `language`, the language before the extension (`sexual__minors.fr.json`).
 */
export function lexiconFileName(category: string, language?: string): string {
  return `${category.replace(/\//g, '__')}${language != null ? `.${language}` : ''}.json`;
}

/**
 * Compiles lexicons and policy blocklists into one matcher. Throws `LexiconError` naming the
 * lexicon or blocklist at fault. The result is immutable and safe to share.
 */
export function compileLexicon(
  lexicons: readonly Lexicon[],
  blocklists: readonly Blocklist[] = [],
  options: CompileLexiconOptions = {},
): CompiledLexicon {
  checkCompileOptions(options);
  return compiledLexiconFrom(compilePatterns(lexicons, blocklists), options);
}

function checkCompileOptions(options: CompileLexiconOptions): void {
  const maxEvidence = options.maxEvidence ?? DEFAULT_MAX_EVIDENCE;
  if (!Number.isInteger(maxEvidence) || maxEvidence < 0) {
    throw new LexiconError('options', [`maxEvidence must be a non-negative integer, not \`${String(maxEvidence)}\``]);
  }
}

/**
 * Lexicons and blocklists compiled as far as the scanner's input: the patterns and the automaton
 * over their keys. What `compileLexicon` builds its matcher from, and what a snapshot keeps.
 */
export interface PatternCompilation {
  readonly patterns: CompiledPatterns;
  /** Null when there are no patterns at all. */
  readonly automaton: Automaton | null;
  readonly categories: readonly Category[];
  /** See `CompiledLexicon.version`. */
  readonly version: string;
  /** The score slot of the `blocklist` category, or -1 without blocklists. */
  readonly blockSlot: number;
  readonly blocklistIds: readonly string[];
}

/** Validates and compiles; throws `LexiconError` naming the lexicon or blocklist at fault. */
export function compilePatterns(lexicons: readonly Lexicon[], blocklists: readonly Blocklist[] = []): PatternCompilation {
  const set = new PatternSet();
  const valid: Lexicon[] = [];
  for (const raw of lexicons) {
    const parsed = LexiconSchema.safeParse(raw);
    if (!parsed.success) {
      throw new LexiconError(
        labelOf(raw),
        parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message.toLowerCase()}`),
      );
    }
    const problems = addLexicon(set, parsed.data);
    if (problems.length > 0) throw new LexiconError(labelOf(parsed.data), problems);
    valid.push(parsed.data);
  }
  const blockCategory = CATEGORIES.indexOf('blocklist');
  const blocklistIds: string[] = [];
  for (const list of blocklists) {
    const index = blocklistIds.length;
    blocklistIds.push(list.id);
    const problems: string[] = [];
    if (list.terms.length === 0) problems.push('has no terms');
    list.terms.forEach((term, i) => {
      if (typeof term !== 'string' || term.trim() === '') {
        problems.push(`terms[${i}]: must be a non-empty string`);
        return;
      }
      problems.push(
        ...set
          .add(term, (variants, expanded) => {
            for (const v of variants) {
              if (v.roles.some((r) => r.kind === ROLE_BLOCK && r.slot === index)) continue;
              v.roles.push({ kind: ROLE_BLOCK, slot: index, side: 0, weight: 1, written: expanded, rules: [], entry: -1 });
            }
          })
          .map((p) => `terms[${i}]: ${p}`),
      );
    });
    if (problems.length > 0) throw new LexiconError(`blocklist \`${list.id}\``, problems);
  }
  const blockSlot = blocklists.length > 0 ? set.slotFor(blockCategory, 'blocklist') : -1;

  const categoryIndexes = new Set(valid.map((l) => CATEGORIES.indexOf(l.category)));
  if (blocklists.length > 0) categoryIndexes.add(blockCategory);
  const categories = CATEGORIES.filter((_, i) => categoryIndexes.has(i));
  const version = `${LEXICON_ENGINE_VERSION}-${createHash('sha256')
    .update(
      canonicalJson({
        lexicons: [...valid].sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0)),
        blocklists: blocklists.map((b) => ({ id: b.id, terms: [...b.terms] })),
      }),
    )
    .digest('hex')
    .slice(0, 16)}`;

  const automaton = set.keys.length > 0 ? buildAutomaton(set.keys, SPACE) : null;
  // The text has the real chars: each reads as its bucket's class.
  if (automaton) for (const c of set.bucketed) automaton.classOf[c] = automaton.classOf[bucketOf(c)]!;
  return { patterns: set, automaton, categories, version, blockSlot, blocklistIds };
}

/** The matcher over compiled patterns (from `compilePatterns` or a snapshot of its result). */
export function compiledLexiconFrom(compilation: PatternCompilation, options: CompileLexiconOptions = {}): CompiledLexicon {
  checkCompileOptions(options);
  const maxEvidence = options.maxEvidence ?? DEFAULT_MAX_EVIDENCE;
  const { patterns, automaton, categories, version, blockSlot, blocklistIds } = compilation;
  const scanner = new Scanner(patterns, automaton, categories, blockSlot, blocklistIds, maxEvidence, options.splitWalk !== false, options.kernel !== false);
  const size: LexiconSize = automaton
    ? {
        states: automaton.states,
        denseStates: automaton.denseStates,
        alphabetSize: automaton.alphabetSize,
        tableBytes:
          automaton.delta.byteLength +
          automaton.childStart.byteLength +
          automaton.childClass.byteLength +
          automaton.childState.byteLength +
          automaton.sparseFail.byteLength +
          automaton.ownKey.byteLength +
          automaton.dictionaryLink.byteLength +
          automaton.classOf.byteLength,
      }
    : { states: 0, denseStates: 0, alphabetSize: 0, tableBytes: 0 };
  return Object.freeze({
    categories: Object.freeze([...categories]),
    version,
    size: Object.freeze(size),
    scan: (text: string, preceding?: string) => scanner.scan(text, preceding),
  });
}

/**
 * Per output state of `a` (index state - firstOutputState): 1 when every key it completes, itself
 * or through its dictionary links, is one whose variants all end a word (`keyEndsWord`).
 */
function wordEndOnlyStates(a: Automaton, keyEndsWord: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.outputStatesEnd - a.firstOutputState);
  for (let st = a.firstOutputState; st < a.outputStatesEnd; st++) {
    let all = true;
    for (let s = st; s !== -1 && all; s = a.dictionaryLink[s]!) {
      const key = a.ownKey[s]!;
      if (key >= 0 && keyEndsWord[key] !== 1) all = false;
    }
    out[st - a.firstOutputState] = all ? 1 : 0;
  }
  return out;
}

/** Where a hit may be counted: a segment reads more text than it owns so edges keep context. */
interface Segment {
  from: number;
  to: number;
  ownFrom: number;
  ownTo: number;
}

class Scanner {
  private readonly normaliser: TextNormaliser;
  /**
   * What a hit in each output state must be verified for, one run of entries per state (see
   * OutputChecks); a variant that must end a word is skipped on the next char before anything
   * else is read (most hits of short keys, " i", " d", are the start of a longer word).
   */
  private readonly checkFirst: Int32Array;
  private readonly checks: Int32Array;
  private readonly firstOutputState: number;
  private readonly codes: Uint16Array;
  /**
   * What `evaluate` reads of every match's roles, in flat arrays: reading them from the role
   * objects, scattered over the heap, missed the cache on most matches (half of `evaluate`'s time
   * in the full classifier). A match's variant's span and role range are in its check entry.
   */
  private readonly roleList: readonly Role[];
  private readonly roleKind: Uint8Array;
  private readonly roleSlot: Int32Array;
  private readonly roleSide: Uint8Array;
  /**
   * Per role, its weight and how many context rules it has (two f64 each): what a term hit reads
   * first, in one place, rather than from the role object and its rules array (two more misses
   * for the hits whose weight needs no context).
   */
  private readonly roleTerm: Float64Array;
  /** Variant v is a context term of the rules `contextList[contextFirst[v] .. contextFirst[v + 1])`. */
  private readonly contextFirst: Int32Array;
  private readonly contextList: Int32Array;
  private readonly rules: readonly CompiledRule[];
  private readonly slotCategory: Int32Array;
  private readonly cooccurrences: readonly CompiledCooccurrence[];
  private readonly maxWords: number;
  /** Per score slot, the strongest hit weight of the current scan; `touched` lists the non-zero. */
  private readonly best: Float64Array;
  private touched = new Int32Array(16);
  private touchedCount = 0;
  private readonly categoryIndex: Int32Array;
  private readonly runs: Uint8Array;
  private readonly ones: Uint8Array;

  // Matches of the current segment.
  /** Each match's check entry (its offset in `checks`): its variant's span and roles. */
  private mEntry = new Int32Array(64);
  private mVariant = new Int32Array(64);
  private mFrom = new Int32Array(64);
  private mTo = new Int32Array(64);
  private mWordA = new Int32Array(64);
  private mWordB = new Int32Array(64);
  private mStart = new Int32Array(64);
  private mEnd = new Int32Array(64);
  private matches = 0;
  /** Runs the automaton over the normalised stream; `visitOutput` takes what it finds. */
  private readonly walker: AutomatonWalker | null;
  private readonly visitOutput: (state: number, i: number) => void;

  // Scratch for `evaluate`, reused between segments and scans.
  private readonly tCategory: number[] = [];
  private readonly tStart: number[] = [];
  private readonly tEnd: number[] = [];
  private readonly tW: number[] = [];
  private readonly tRole: Role[] = [];
  private readonly tM: number[] = [];
  private readonly tOuter: number[] = [];
  /** Per co-occurrence rule, its group hits: match, weight after context (-1 until needed), role (index into `roleList`). */
  private readonly coocM: number[][];
  private readonly coocW: number[][];
  private readonly coocRole: number[][];
  private readonly coocCount: Int32Array;
  private readonly coocTouched: number[] = [];
  private coocTouchedCount = 0;
  private readonly sideA: number[] = [];
  private readonly sideB: number[] = [];
  /**
   * Where the text proper starts in the string scanned (after `preceding`): hits before it
   * score nothing and give no evidence, but count as context and as co-occurrence partners.
   */
  private base = 0;
  /** The text being scanned (with any preceding text) and its segment, for the request clause of `frameLowers`. */
  private text = '';
  private segFrom = 0;
  private segTo = 0;
  /** The hit whose contexts are being weighed, and the hit whose request clause `clause` is (see `frameLowers`). */
  private clauseHit = -1;
  private clauseFor = -1;
  private clause: RequestClause | undefined;
  /** Whether the current scan is one segment (then a whole-text pair needs both sides in it). */
  private oneSegment = true;
  /**
   * Per whole-text co-occurrence rule, the strongest hits kept so far across segments, by side
   * and part (index side * 2 + part; part 0: in `preceding`, 1: in the text proper).
   */
  private readonly held: HeldHit[][][];
  private readonly heldTouched: number[] = [];
  private readonly keep = new Float64Array(CATEGORIES.length);

  // Context evaluation scratch.
  private readonly ruleStamp: Int32Array;
  private stamp = 0;
  private down = 1;
  private up = 1;

  private evidence: Evidence[] = [];
  private evidenceCounted = 0;
  private evidenceKeys = new Set<string>();
  private listsWithEvidence = new Set<number>();

  constructor(
    set: CompiledPatterns,
    automaton: Automaton | null,
    private readonly categories: readonly Category[],
    private readonly blockSlot: number,
    private readonly blocklistIds: readonly string[],
    private readonly maxEvidence: number,
    splitWalk: boolean,
    kernel: boolean,
  ) {
    this.rules = set.rules;
    this.cooccurrences = set.cooccurrences;
    this.maxWords = set.maxWords;
    this.slotCategory = Int32Array.from(set.slots, (s) => s.category);
    this.best = new Float64Array(set.slots.length);
    this.coocM = set.cooccurrences.map(() => []);
    this.coocW = set.cooccurrences.map(() => []);
    this.coocRole = set.cooccurrences.map(() => []);
    this.coocCount = new Int32Array(set.cooccurrences.length);
    this.held = set.cooccurrences.map(() => [[], [], [], []]);
    this.ruleStamp = new Int32Array(set.rules.length);
    this.categoryIndex = Int32Array.from(categories, (c) => CATEGORIES.indexOf(c));
    this.runs = Uint8Array.from(set.runs);
    this.ones = Uint8Array.from(set.ones);
    const maxKeyLength = set.maxKeyLength;
    const keyEndsWord = Uint8Array.from(set.keyVariants, (list) => (list.every((v) => set.variants[v]!.boundaryAfter) ? 1 : 0));
    // The walk drops the outputs `outputsAt` would skip whole: every key of the state ends a word
    // and the next char is none's end (about half of them on the OpenAI moderation texts).
    const wordEndOnly = automaton ? wordEndOnlyStates(automaton, keyEndsWord) : new Uint8Array(0);
    const roleFirst = new Int32Array(set.variants.length + 1);
    const roleList: Role[] = [];
    set.variants.forEach((v, i) => {
      roleFirst[i] = roleList.length;
      for (const role of v.roles) roleList.push(role);
    });
    roleFirst[set.variants.length] = roleList.length;
    this.roleList = roleList;
    const checks = automaton ? buildOutputChecks(automaton, set.keyVariants, set.variants, roleFirst) : undefined;
    this.checkFirst = checks?.first ?? new Int32Array(1);
    this.checks = checks?.entries ?? new Int32Array(0);
    this.firstOutputState = automaton?.firstOutputState ?? 0;
    this.normaliser = new TextNormaliser(!kernel ? { kernel: false } : automaton ? { automaton, wordEndOnly } : {});
    const walkOptions = { maxKeyLength, split: splitWalk, wordEndOnly };
    const jsWalker = automaton ? createAutomatonWalker(automaton, walkOptions) : null;
    this.walker = jsWalker ? (createKernelAutomatonWalker(this.normaliser.wasm, walkOptions, jsWalker) ?? jsWalker) : null;
    this.visitOutput = automaton ? (state, i) => this.outputsAt(state, i) : () => undefined;
    this.codes = Uint16Array.from(set.codes);
    this.roleKind = Uint8Array.from(roleList, (r) => r.kind);
    this.roleSlot = Int32Array.from(roleList, (r) => r.slot);
    this.roleSide = Uint8Array.from(roleList, (r) => r.side);
    this.roleTerm = new Float64Array(roleList.length * 2);
    roleList.forEach((r, i) => {
      this.roleTerm[2 * i] = r.weight;
      this.roleTerm[2 * i + 1] = r.rules.length;
    });
    this.contextFirst = new Int32Array(set.variants.length + 1);
    const contextList: number[] = [];
    set.variants.forEach((v, i) => {
      this.contextFirst[i] = contextList.length;
      for (const r of v.contextOf) contextList.push(r);
    });
    this.contextFirst[set.variants.length] = contextList.length;
    this.contextList = Int32Array.from(contextList);
  }

  scan(text: string, preceding?: string): LexiconScanResult {
    for (let i = 0; i < this.touchedCount; i++) this.best[this.touched[i]!] = 0;
    this.touchedCount = 0;
    this.evidence = [];
    this.evidenceCounted = 0;
    this.evidenceKeys.clear();
    this.listsWithEvidence.clear();
    let scanned = text;
    this.base = 0;
    if (preceding != null && preceding.length > 0 && text.length > 0) {
      const before = precedingTail(preceding);
      // Two line breaks: never read as letters written one per line across the join.
      scanned = `${before}\n\n${text}`;
      this.base = before.length + 2;
    }
    if (this.walker != null && text.length > 0) {
      this.oneSegment = scanned.length <= SEGMENT + MARGIN;
      if (this.oneSegment) {
        this.scanSegment(scanned, { from: 0, to: scanned.length, ownFrom: 0, ownTo: scanned.length });
      } else {
        for (const seg of segments(scanned)) this.scanSegment(scanned, seg);
      }
      if (this.heldTouched.length > 0) this.pairWholeText();
    }
    const keep = this.keep.fill(1);
    for (let i = 0; i < this.touchedCount; i++) {
      const s = this.touched[i]!;
      keep[this.slotCategory[s]!]! *= 1 - this.best[s]!;
    }
    const scores: Scores = {};
    this.categories.forEach((c, i) => {
      // Rounded so that float noise (0.05 → 0.050000000000000044) does not leak into decisions.
      scores[c] = Math.round((1 - keep[this.categoryIndex[i]!]!) * 1e9) / 1e9;
    });
    const evidence = this.evidence;
    this.evidence = [];
    if (this.base > 0) {
      for (const e of evidence) {
        e.start -= this.base;
        e.end -= this.base;
      }
    }
    evidence.sort(byPosition);
    return { scores, evidence };
  }

  private scanSegment(text: string, seg: Segment): void {
    const n = this.normaliser;
    n.normalise(text, seg.from, seg.to);
    this.text = text;
    this.segFrom = seg.from;
    this.segTo = seg.to;
    this.matches = 0;
    this.walker!.walk(n.code, n.length, this.visitOutput);
    this.evaluate(seg);
  }

  /**
   * Folds each term hit that lies inside a longer hit of the same term entry into that hit (which
   * keeps the stronger weight); returns how many hits are left, compacted in order.
   */
  private mergeNestedTerms(terms: number): number {
    const { tCategory, tStart, tEnd, tW, tRole, tM } = this;
    // First each nested hit's weight goes to its longest container (itself nested in nothing),
    // then the nested hits are dropped; compacting only after reading them all.
    // Hits are in order of their end, so a container of hit j (ending at or after j's end,
    // starting at or before its start, no longer than the longest hit) lies among the few hits
    // that end with j or within the longest span after j's start: a text flooded with one term
    // costs no more than one pass.
    const outer = this.tOuter;
    let longest = 0;
    for (let j = 0; j < terms; j++) if (tEnd[j]! - tStart[j]! > longest) longest = tEnd[j]! - tStart[j]!;
    let nested = 0;
    const better = (j: number, k: number, best: number): number => {
      if (tRole[k]!.entry !== tRole[j]!.entry || tStart[k]! > tStart[j]! || tEnd[k]! < tEnd[j]!) return best;
      if (tStart[k] === tStart[j] && tEnd[k] === tEnd[j]) return best;
      return best < 0 || tEnd[k]! - tStart[k]! > tEnd[best]! - tStart[best]! ? k : best;
    };
    for (let j = 0; j < terms; j++) {
      let best = -1;
      for (let k = j - 1; k >= 0 && tEnd[k] === tEnd[j]; k--) best = better(j, k, best);
      for (let k = j + 1; k < terms && tEnd[k]! - tStart[j]! <= longest; k++) best = better(j, k, best);
      outer[j] = best;
      if (best >= 0) nested++;
    }
    if (nested === 0) return terms;
    for (let j = 0; j < terms; j++) {
      const k = outer[j]!;
      if (k >= 0 && tW[j]! > tW[k]!) tW[k] = tW[j]!;
    }
    let kept = 0;
    for (let j = 0; j < terms; j++) {
      if (outer[j]! >= 0) continue;
      tCategory[kept] = tCategory[j]!;
      tStart[kept] = tStart[j]!;
      tEnd[kept] = tEnd[j]!;
      tW[kept] = tW[j]!;
      tRole[kept] = tRole[j]!;
      tM[kept] = tM[j]!;
      kept++;
    }
    return kept;
  }

  private raise(slot: number, w: number): void {
    const prev = this.best[slot]!;
    if (w <= prev) return;
    if (prev === 0) {
      if (this.touchedCount >= this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = slot;
    }
    this.best[slot] = w;
  }

  /** Verifies and records the matches ending at stream char `i` in output state `st`. */
  private outputsAt(st: number, i: number): void {
    // The stream ends with a separator, so the char after a match always exists.
    const endsWord = this.normaliser.code[i + 1] === SPACE;
    const checks = this.checks;
    const o = st - this.firstOutputState;
    const last = this.checkFirst[o + 1]! * CHECK_INTS;
    for (let e = this.checkFirst[o]! * CHECK_INTS; e < last; e += CHECK_INTS) {
      const head = checks[e]!;
      const flags = head >>> 24;
      if ((flags & CHECK_ENDS_WORD) !== 0 && !endsWord) continue;
      const length = head & 0xffffff;
      const from = i + 1 - length;
      if (this.verify(checks[e + 2]!, flags, from, length)) this.record(e, checks[e + 1]!, from, i);
    }
  }

  /**
   * Repeats were collapsed on both sides; the text must repeat each char at least as often as
   * the term ("as" is not "ass"). A doubled vowel is a different word ("good" is not "god"), so
   * only three or more count as stretching it; digits must match exactly. `at` is where the
   * variant's chars start, `flags` its CHECK_* flags (the word end is checked by the caller).
   */
  private verify(at: number, flags: number, from: number, length: number): boolean {
    const n = this.normaliser;
    const runs = this.runs;
    const textRuns = n.run;
    for (let j = 0; j < length; j++) {
      const p = from + j;
      const tr = textRuns[p]!;
      const pr = runs[at + j]!;
      if (tr !== pr) {
        if (tr < pr) return false;
        const c = n.code[p]!;
        if ((c >= 0x30 && c <= 0x39) || c === 0x2a) return false;
        if (tr === 2 && (c === 0x61 || c === 0x65 || c === 0x69 || c === 0x6f || c === 0x75)) return false;
      }
    }
    if ((flags & CHECK_BUCKETED) !== 0) {
      for (let j = 0; j < length; j++) if (n.code[from + j] !== this.codes[at + j]) return false;
    }
    if ((flags & CHECK_NEEDS_ONE) !== 0) {
      for (let j = 0; j < length; j++) if (this.ones[at + j] === 1 && (n.flag[from + j]! & FLAG_ONE) === 0) return false;
    }
    return true;
  }

  /** Records a verified match of check entry `e` (variant `vid`) over stream chars [from, to]. */
  private record(e: number, vid: number, from: number, to: number): void {
    const m = this.matches;
    if (m >= this.mVariant.length) this.growMatches();
    this.mEntry[m] = e;
    this.mVariant[m] = vid;
    this.mFrom[m] = from;
    this.mTo[m] = to;
    this.matches = m + 1;
  }

  private growMatches(): void {
    const size = this.mVariant.length * 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.mEntry = grow(this.mEntry);
    this.mVariant = grow(this.mVariant);
    this.mFrom = grow(this.mFrom);
    this.mTo = grow(this.mTo);
    this.mWordA = grow(this.mWordA);
    this.mWordB = grow(this.mWordB);
    this.mStart = grow(this.mStart);
    this.mEnd = grow(this.mEnd);
  }

  private evaluate(seg: Segment): void {
    const n = this.normaliser;
    const count = this.matches;
    if (count === 0) return;
    const checks = this.checks;
    for (let m = 0; m < count; m++) {
      const span = checks[this.mEntry[m]! + CHECK_SPAN]!;
      const first = this.mFrom[m]! + (span & 0xff);
      const last = this.mTo[m]!;
      const wa = n.word[first]!;
      const wb = n.word[last]!;
      const extend = span >>> 8;
      this.mWordA[m] = wa;
      this.mWordB[m] = wb;
      this.mStart[m] = (extend & 1) !== 0 ? n.wordStart[wa]! : n.start[first]!;
      this.mEnd[m] = (extend & 2) !== 0 ? n.wordEnd[wb]! : n.end[last]!;
    }
    // Term hits of this segment, in match order (so by end offset), one per category and span.
    // Scratch arrays are overwritten by index with explicit counts: setting `length = 0` would
    // make V8 drop and reallocate their storage on every segment.
    const tCategory = this.tCategory;
    const tStart = this.tStart;
    const tEnd = this.tEnd;
    const tW = this.tW;
    const tRole = this.tRole;
    const tM = this.tM;
    let terms = 0;
    for (let t = 0; t < this.coocTouchedCount; t++) this.coocCount[this.coocTouched[t]!] = 0;
    this.coocTouchedCount = 0;
    for (let m = 0; m < count; m++) {
      const start = this.mStart[m]!;
      const end = this.mEnd[m]!;
      const own = start >= seg.ownFrom && start < seg.ownTo && start >= this.base;
      const e = this.mEntry[m]!;
      const rolesEnd = checks[e + CHECK_ROLES + 1]!;
      for (let r = checks[e + CHECK_ROLES]!; r < rolesEnd; r++) {
        const kind = this.roleKind[r]!;
        if (kind === ROLE_GROUP) {
          // Collected even outside the segment's own range: a pair is counted by where its first
          // term starts, and its partner may sit in the margin. The context is weighed only for
          // hits that find a partner (most never do).
          const c = this.roleSlot[r]!;
          const h = this.coocCount[c]!;
          if (h === 0) this.coocTouched[this.coocTouchedCount++] = c;
          this.coocM[c]![h] = m;
          this.coocW[c]![h] = -1;
          this.coocRole[c]![h] = r;
          this.coocCount[c] = h + 1;
          continue;
        }
        if (!own) continue;
        if (kind === ROLE_BLOCK) {
          const role = this.roleList[r]!;
          this.raise(this.blockSlot, 1);
          this.addEvidence('blocklist', m, role.written, role.slot);
          continue;
        }
        const weight = this.roleTerm[2 * r]!;
        const w = this.roleTerm[2 * r + 1] === 0 ? weight : Math.min(1, weight * this.contextFactor(m, this.roleList[r]!.rules));
        if (w <= 0) continue;
        // Spelling variants of one term ("faggot", "fagot", "f4ggot") can all match the same
        // word; that word counts once per category, with its strongest term. Same-span hits end
        // at the same offset, so they sit together at the end of the list.
        const category = this.slotCategory[this.roleSlot[r]!]!;
        let j = terms - 1;
        while (j >= 0 && tEnd[j] === end && !(tCategory[j] === category && tStart[j] === start)) j--;
        if (j >= 0 && tEnd[j] === end) {
          if (w > tW[j]!) {
            tW[j] = w;
            tRole[j] = this.roleList[r]!;
            tM[j] = m;
          }
        } else {
          tCategory[terms] = category;
          tStart[terms] = start;
          tEnd[terms] = end;
          tW[terms] = w;
          tRole[terms] = this.roleList[r]!;
          tM[terms] = m;
          terms++;
        }
      }
    }
    // A term inside a longer term of the same entry is the same evidence read twice ("ddos" in
    // "ddos attack", "counterfeit" in "counterfeit bills", written as alternatives of one entry):
    // it counts once, at the stronger of the two weights, on the longer span. Scores combine hits
    // as independent evidence, so the two had made a definition question score as a request.
    // Terms of different entries stay separate pieces of evidence ("shoot them" and "shoot").
    if (terms > 1) terms = this.mergeNestedTerms(terms);
    for (let j = 0; j < terms; j++) {
      const role = tRole[j]!;
      this.raise(role.slot, tW[j]!);
      this.addEvidence(CATEGORIES[tCategory[j]!]!, tM[j]!, role.written, -1);
    }
    for (let t = 0; t < this.coocTouchedCount; t++) this.evaluateCooccurrence(this.coocTouched[t]!, seg);
  }

  /**
   * Strongest lowering times strongest raising among the rules whose context is near hit `m`.
   * Walks the neighbouring matches once and looks each one's context rules up among the hit's
   * (marked with a stamp), rather than searching the neighbours once per rule.
   */
  private contextFactor(m: number, rules: readonly number[]): number {
    const stamp = ++this.stamp;
    let reachBefore = 0;
    let reachAfter = 0;
    for (const r of rules) {
      this.ruleStamp[r] = stamp;
      const rule = this.rules[r]!;
      if (rule.before > reachBefore) reachBefore = rule.before;
      if (rule.after > reachAfter) reachAfter = rule.after;
    }
    const wa = this.mWordA[m]!;
    const wb = this.mWordB[m]!;
    const lo = wa - reachBefore;
    const hi = wb + reachAfter;
    this.down = 1;
    this.up = 1;
    this.clauseHit = m;
    this.clauseFor = -1;
    // Matches are in order of their last word; scan outwards until out of reach, in words and in
    // chars: in unspaced text (Japanese, Thai) a word is a whole run, and without the char bound
    // every hit weighed every match of the run (200 KB of a framed Japanese request repeated took
    // 5.6 s; 1.7 s with the bound).
    const nearest = this.mStart[m]! - CONTEXT_CHAR_REACH;
    const furthest = this.mEnd[m]! + CONTEXT_CHAR_REACH;
    for (let j = m - 1; j >= 0 && this.mWordB[j]! >= lo && this.mEnd[j]! >= nearest; j--) this.applyContext(j, stamp, wa, wb);
    for (let j = m + 1; j < this.matches && this.mWordB[j]! - this.maxWords <= hi && this.mEnd[j]! <= furthest; j++) this.applyContext(j, stamp, wa, wb);
    return this.down * this.up;
  }

  private applyContext(j: number, stamp: number, wa: number, wb: number): void {
    const ja = this.mWordA[j]!;
    const jb = this.mWordB[j]!;
    const vid = this.mVariant[j]!;
    const end = this.contextFirst[vid + 1]!;
    for (let x = this.contextFirst[vid]!; x < end; x++) {
      const r = this.contextList[x]!;
      if (this.ruleStamp[r] !== stamp) continue;
      const rule = this.rules[r]!;
      // A one-sided rule needs the context on that side ("killing it": `it` after the hit).
      if (rule.before < 0 ? jb < wb || ja > wb + rule.after : jb < wa - rule.before) continue;
      if (rule.after < 0 ? ja > wa || jb < wa - rule.before : ja > wb + rule.after) continue;
      if (rule.factor < 1) {
        // A lowering word matched inside the hit's own chars is a word of the term, not a
        // context around it: "identify" (counter-speech) does not excuse "identify criminals".
        // A frame lowers a requested hit only from inside the request (see `frameLowers`).
        // Raising contexts need neither check: they only make a score stricter.
        if (rule.factor < this.down && !this.insideHit(j) && (!rule.frame || this.frameLowers(j, rule.namesTerm))) this.down = rule.factor;
      } else if (rule.factor > this.up) this.up = rule.factor;
    }
  }

  /** Whether match `j` lies within the chars the current hit matched (stream positions, one segment). */
  private insideHit(j: number): boolean {
    const m = this.clauseHit;
    return this.mFrom[j]! >= this.mFrom[m]! && this.mTo[j]! <= this.mTo[m]!;
  }

  /**
   * Whether a frame context, match `j` (research, news, history: it says the text talks about
   * the harm), lowers the current hit. When a request asks for the hit directly (see
   * request-clause.ts), a frame counts only between the opener and the hit, and not as an aside
   * there (`isAsideFrame`) nor in the opener's own words: a lead-in, another sentence or a tail
   * lends it nothing ("For my research: how do I make a silencer?", "How do I rob a bank for a
   * documentary?"). Right after the hit only a frame that names it counts (`namesTerm`: "a bomb
   * prop"). Where the request follows the hit ("小説のために爆弾の作り方を教えて"), no frame counts
   * but one that names it, right before or after it ("sahte bomba"). A request for talk about it
   * ("How can I learn about the history of chemical weapons?") or no request at all keeps its
   * frames wherever their window reaches, and so do contexts that change what is asked ("… in
   * Minecraft").
   */
  private frameLowers(j: number, namesTerm: boolean): boolean {
    const m = this.clauseHit;
    // The hit's and the frame's own chars, not their words': in unspaced text a word is the whole
    // run ("小説のために爆弾の作り方を教えて"), which holds the frame, the hit and the request.
    const hitStart = this.mStart[m]!;
    const hitEnd = this.mEnd[m]!;
    if (this.clauseFor !== m) {
      this.clauseFor = m;
      this.clause = requestClause(this.text, hitStart, hitEnd, this.segFrom, this.segTo);
    }
    const c = this.clause;
    if (c === undefined || !c.direct) return true;
    const from = this.mStart[j]!;
    const to = this.mEnd[j]!;
    // A frame in the opener's own words is the request: "how does" in "How does one cook meth?"
    // ("how do I report", reaching past the opener, still frames it).
    if (from >= c.from && to <= c.openerEnd) return false;
    // After the hit only a frame that names it counts, right after it: "una bomba falsa de utilería".
    if (from >= hitEnd) return namesTerm && to <= c.to && modifiesHit(this.text, hitEnd, from, to);
    // Where the request follows the hit, so may such a frame right before it: "sahte bomba", "偽物の爆弾".
    if (c.after) return namesTerm && to <= hitStart && modifiesHitFrom(this.text, to, hitStart);
    return from >= c.from && to <= c.to && !isAsideFrame(this.text, c, from, to, hitStart);
  }

  private evaluateCooccurrence(c: number, seg: Segment): void {
    const rule = this.cooccurrences[c]!;
    if (rule.wholeText) {
      this.holdWholeText(c, seg);
      return;
    }
    const hitM = this.coocM[c]!;
    const roles = this.coocRole[c]!;
    const a = this.sideA;
    const b = this.sideB;
    let na = 0;
    let nb = 0;
    const count = this.coocCount[c]!;
    for (let h = 0; h < count; h++) {
      if (this.roleSide[roles[h]!] === 0) a[na++] = h;
      else b[nb++] = h;
    }
    if (na === 0 || nb === 0) return;
    let best = 0;
    let lo = 0;
    const category = CATEGORIES[this.slotCategory[rule.slot]!]!;
    for (let ia = 0; ia < na; ia++) {
      const x = a[ia]!;
      const mx = hitM[x]!;
      const xa = this.mWordA[mx]!;
      const xb = this.mWordB[mx]!;
      while (lo < nb && this.mWordB[hitM[b[lo]!]!]! < xb - this.maxWords - rule.window) lo++;
      for (let k = lo; k < nb; k++) {
        const y = b[k]!;
        const my = hitM[y]!;
        const ya = this.mWordA[my]!;
        const yb = this.mWordB[my]!;
        if (ya > xb + rule.window + this.maxWords) break;
        const gap = Math.max(0, ya - xb, xa - yb);
        if (gap > rule.window) continue;
        // In an unspaced clause (one "word") the order is the order of the characters.
        if (rule.ordered && (ya < xb || (ya === xb && this.mStart[my]! < this.mEnd[mx]!))) continue;
        // One span in both groups is not two things occurring together.
        if (this.mStart[mx] === this.mStart[my] && this.mEnd[mx] === this.mEnd[my]) continue;
        const first = Math.min(this.mStart[mx]!, this.mStart[my]!);
        if (first < seg.ownFrom || first >= seg.ownTo) continue;
        // A pair wholly inside `preceding` was scored when that text was checked.
        if (this.mStart[mx]! < this.base && this.mStart[my]! < this.base) continue;
        const w = rule.weight * this.groupWeight(c, x) * this.groupWeight(c, y);
        if (w <= 0) continue;
        if (w > best) best = w;
        this.addEvidence(category, mx, this.roleList[roles[x]!]!.written, -1, true);
        this.addEvidence(category, my, this.roleList[roles[y]!]!.written, -1, true);
      }
    }
    if (best > 0) this.raise(rule.slot, best);
  }

  /**
   * Keeps, per side, the strongest hits of a whole-text rule found in this segment; they are
   * paired once every segment is scanned (`pairWholeText`), so the two terms may sit in
   * different segments of a long text. Only the best pair scores, so two per side (with
   * distinct spans, as one span in both groups is no pair) are all that is needed.
   */
  private holdWholeText(c: number, seg: Segment): void {
    const count = this.coocCount[c]!;
    const roles = this.coocRole[c]!;
    const hitM = this.coocM[c]!;
    if (this.oneSegment) {
      let sides = 0;
      for (let h = 0; h < count; h++) sides |= 1 << this.roleSide[roles[h]!]!;
      // Most texts have terms of one side only: no context to weigh, nothing to keep.
      if (sides !== 3) return;
    }
    for (let h = 0; h < count; h++) {
      const m = hitM[h]!;
      const start = this.mStart[m]!;
      if (start < seg.ownFrom || start >= seg.ownTo) continue;
      const w = this.groupWeight(c, h);
      if (w <= 0) continue;
      const list = this.held[c]![this.roleSide[roles[h]!]! * 2 + (start >= this.base ? 1 : 0)]!;
      if (list.length === 0 && this.held[c]!.every((l) => l.length === 0)) this.heldTouched.push(c);
      const end = this.mEnd[m]!;
      const same = list.find((x) => x.start === start && x.end === end);
      if (same) {
        if (w > same.w) {
          same.w = w;
          same.written = this.roleList[roles[h]!]!.written;
        }
      } else {
        list.push({ w, start, end, written: this.roleList[roles[h]!]!.written });
      }
      list.sort((x, y) => y.w - x.w);
      if (list.length > 2) list.length = 2;
    }
  }

  /** Scores each whole-text rule by its best pair with at least one term in the text proper. */
  private pairWholeText(): void {
    for (const c of this.heldTouched) {
      const rule = this.cooccurrences[c]!;
      const lists = this.held[c]!;
      let best = 0;
      let bx: HeldHit | undefined;
      let by: HeldHit | undefined;
      for (let pa = 0; pa < 2; pa++) {
        for (let pb = 0; pb < 2; pb++) {
          if (pa === 0 && pb === 0) continue;
          for (const x of lists[pa]!) {
            for (const y of lists[2 + pb]!) {
              if (x.start === y.start && x.end === y.end) continue;
              const w = rule.weight * x.w * y.w;
              if (w > best) {
                best = w;
                bx = x;
                by = y;
              }
            }
          }
        }
      }
      if (best > 0 && bx && by) {
        this.raise(rule.slot, best);
        const category = CATEGORIES[this.slotCategory[rule.slot]!]!;
        this.addSpanEvidence(category, bx.start, bx.end, bx.written);
        this.addSpanEvidence(category, by.start, by.end, by.written);
      }
      for (const l of lists) l.length = 0;
    }
    this.heldTouched.length = 0;
  }

  private groupWeight(c: number, h: number): number {
    const weights = this.coocW[c]!;
    let w = weights[h]!;
    if (w < 0) {
      const role = this.roleList[this.coocRole[c]![h]!]!;
      w = role.rules.length === 0 ? role.weight : Math.min(1, role.weight * this.contextFactor(this.coocM[c]![h]!, role.rules));
      weights[h] = w;
    }
    return w;
  }

  /**
   * Term and blocklist hits are unique by construction (one per span and category, counted in
   * one segment only); co-occurrence hits can take part in several pairs, so `dedupe` asks to
   * skip a span already reported.
   */
  private addEvidence(category: Category, m: number, written: string, list: number, dedupe = false): void {
    this.addSpanEvidence(category, this.mStart[m]!, this.mEnd[m]!, written, list, dedupe);
  }

  private addSpanEvidence(category: Category, start: number, end: number, written: string, list = -1, dedupe = true): void {
    // Text before `base` (the `preceding` text) was checked on its own; evidence is for the text.
    if (start < this.base) return;
    const firstOfList = list >= 0 && !this.listsWithEvidence.has(list);
    if (this.evidenceCounted >= this.maxEvidence && !firstOfList) return;
    if (dedupe) {
      const key = `${category}\u0000${start}\u0000${end}\u0000${written}`;
      if (this.evidenceKeys.has(key)) return;
      this.evidenceKeys.add(key);
    }
    // The first hit of each blocklist comes on top of the limit, so policies always see it.
    if (!firstOfList) this.evidenceCounted++;
    const e: Evidence = { category, start, end, match: written, source: 'lexicon' };
    if (list >= 0) {
      e.list = this.blocklistIds[list]!;
      this.listsWithEvidence.add(list);
    }
    this.evidence.push(e);
  }
}

function byPosition(a: Evidence, b: Evidence): number {
  return a.start - b.start || a.end - b.end;
}

function isSpaceAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** A cut at or after `at` on whitespace when one is near, never inside a surrogate pair. */
function cutAt(text: string, at: number): number {
  if (at >= text.length) return text.length;
  if (at <= 0) return 0;
  for (let i = at; i < Math.min(text.length, at + CUT_SLACK); i++) if (isSpaceAt(text, i)) return i;
  const c = text.charCodeAt(at);
  return c >= 0xdc00 && c <= 0xdfff ? at + 1 : at;
}

function* segments(text: string): Generator<Segment> {
  const len = text.length;
  if (len <= SEGMENT + MARGIN) {
    yield { from: 0, to: len, ownFrom: 0, ownTo: len };
    return;
  }
  let own = 0;
  while (own < len) {
    const ownTo = cutAt(text, own + SEGMENT);
    const from = own === 0 ? 0 : Math.min(own, cutAt(text, own - MARGIN));
    const to = cutAt(text, ownTo + MARGIN);
    yield { from, to, ownFrom: own, ownTo };
    own = ownTo;
  }
}


/** The last `PRECEDING_MAX_CHARS` of `preceding`, starting after white space so no word is cut. */
function precedingTail(preceding: string): string {
  if (preceding.length <= PRECEDING_MAX_CHARS) return preceding;
  return preceding.slice(cutAt(preceding, preceding.length - PRECEDING_MAX_CHARS));
}
