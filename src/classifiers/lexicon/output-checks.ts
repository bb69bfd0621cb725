import type { Automaton } from './aho-corasick.js';

/** What a check reads of its variant, in the top byte of an entry's first word. */
export const CHECK_ENDS_WORD = 1;
export const CHECK_BUCKETED = 2;
export const CHECK_NEEDS_ONE = 4;
/**
 * Ints per entry: key length and flags (flags << 24), variant id, where the variant's chars
 * start, where its roles start and end (see CHECK_ROLES), and its lead and extension bits
 * (see CHECK_SPAN).
 */
export const CHECK_INTS = 6;
/** Offset in an entry of the variant's first role; the next int is where its roles end. */
export const CHECK_ROLES = 3;
/** Offset in an entry of the variant's lead (low byte) and span extension bits (`<< 8`: 1 start, 2 end). */
export const CHECK_SPAN = 5;

/** The variant facts a check needs, by variant id. */
export interface CheckedVariant {
  at: number;
  boundaryAfter: boolean;
  bucketed: boolean;
  needsOne: boolean;
  lead: number;
  extendStart: boolean;
  extendEnd: boolean;
}

/**
 * Per output state of an automaton, every (key, variant) pair a hit in that state must be
 * verified for, in the order a walk of its dictionary links visits them: the keys of the state
 * and of each state its links lead to, each key's variants in order. One contiguous run of
 * entries per state.
 *
 * Why: verifying a hit read a dozen tables (key per state, dictionary link, key length, the key's
 * variant range and list, then each variant's offset and three flags), each spread over the heap
 * by state, key or variant number, so nearly every read missed the cache — about a sixth of the
 * lexicon's time on the OpenAI moderation texts for some forty hits per text. The entries of one
 * state sit together, so a hit reads one or two lines before the variant's run lengths. What the
 * scanner then reads of a recorded match's variant (its span and roles) is in the same entry,
 * still in the cache from verifying it, rather than in three more tables by variant.
 */
export interface OutputChecks {
  /** Output state st's entries are [first[st - firstOutputState], first[st - firstOutputState + 1]), in entries. */
  readonly first: Int32Array;
  /** CHECK_INTS ints per entry (see CHECK_INTS). */
  readonly entries: Int32Array;
}

/** `roleFirst`: variant v's roles are [roleFirst[v], roleFirst[v + 1]) (one more entry than variants). */
export function buildOutputChecks(
  a: Automaton,
  keyVariants: readonly (readonly number[])[],
  variants: readonly CheckedVariant[],
  roleFirst: Int32Array,
): OutputChecks {
  const outputs = a.outputStatesEnd - a.firstOutputState;
  const first = new Int32Array(outputs + 1);
  const entries: number[] = [];
  for (let st = a.firstOutputState; st < a.outputStatesEnd; st++) {
    first[st - a.firstOutputState] = entries.length / CHECK_INTS;
    for (let s = st; s !== -1; s = a.dictionaryLink[s]!) {
      const key = a.ownKey[s]!;
      if (key < 0) continue;
      const length = a.keyLength[key]!;
      if (length > 0xffffff) throw new RangeError(`a key of ${length} chars is too long to check`);
      for (const vid of keyVariants[key]!) {
        const v = variants[vid]!;
        const flags = (v.boundaryAfter ? CHECK_ENDS_WORD : 0) | (v.bucketed ? CHECK_BUCKETED : 0) | (v.needsOne ? CHECK_NEEDS_ONE : 0);
        if (v.lead > 0xff) throw new RangeError(`a variant lead of ${v.lead} chars does not fit a byte`);
        const span = v.lead | (((v.extendStart ? 1 : 0) | (v.extendEnd ? 2 : 0)) << 8);
        entries.push(length | (flags << 24), vid, v.at, roleFirst[vid]!, roleFirst[vid + 1]!, span);
      }
    }
  }
  first[outputs] = entries.length / CHECK_INTS;
  return { first, entries: Int32Array.from(entries) };
}
