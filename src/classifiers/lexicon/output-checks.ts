import type { Automaton } from './aho-corasick.js';

/** What a check reads of its variant, in the top byte of an entry's first word. */
export const CHECK_ENDS_WORD = 1;
export const CHECK_BUCKETED = 2;
export const CHECK_NEEDS_ONE = 4;
/** Ints per entry: key length and flags (flags << 24), variant id, where the variant's chars start. */
export const CHECK_INTS = 3;

/** The variant facts a check needs, by variant id. */
export interface CheckedVariant {
  at: number;
  boundaryAfter: boolean;
  bucketed: boolean;
  needsOne: boolean;
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
 * state sit together, so a hit reads one or two lines before the variant's run lengths.
 */
export interface OutputChecks {
  /** Output state st's entries are [first[st - firstOutputState], first[st - firstOutputState + 1]), in entries. */
  readonly first: Int32Array;
  /** CHECK_INTS ints per entry (see CHECK_INTS). */
  readonly entries: Int32Array;
}

export function buildOutputChecks(
  a: Automaton,
  keyVariants: readonly (readonly number[])[],
  variants: readonly CheckedVariant[],
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
        entries.push(length | (flags << 24), vid, v.at);
      }
    }
  }
  first[outputs] = entries.length / CHECK_INTS;
  return { first, entries: Int32Array.from(entries) };
}
