import { nextState, type Automaton } from './aho-corasick.js';
import type { WasmStream } from './wasm-stream.js';

/** Runs an automaton over a stream of char codes and reports where it reaches an output state. */
export interface AutomatonWalker {
  /**
   * Calls `visit(state, i)` for each stream char `i` of `code[0, length)` after which the
   * automaton is in an output state, in increasing order of `i`.
   */
  walk(code: Uint16Array, length: number, visit: (state: number, i: number) => void): void;
}

export interface AutomatonWalkerOptions {
  /** The longest key, in chars: how far back the second half's walk starts. */
  maxKeyLength: number;
  /** Walk long streams as two interleaved halves (default); `false` walks in one piece. */
  split?: boolean;
  /**
   * One byte per output state (index `state - firstOutputState`), 1 when every key that state
   * completes must end a word: such an output is not reported when the stream char after it is
   * no separator (the caller would verify none of its keys). Default: every output is reported.
   */
  wordEndOnly?: Uint8Array;
}

/** The separator char of the streams walked (the automaton's class 0). */
const SEPARATOR = 0x20;

/** A stream shorter than two key lengths plus this is walked in one piece. */
const MIN_HALF = 64;

/**
 * A long stream is walked as two halves in one loop: each step of a walk waits for the previous
 * table read, so two independent walks overlap their waits and take little longer than one
 * (about 4% of the lexicon's time on the OpenAI moderation texts). The second walk starts
 * `maxKeyLength` chars before its half, enough for its state to be the true one from the half's
 * first char (a state is the longest suffix of the text read that begins some key, never longer
 * than a key); its outputs are kept aside and reported after the first half's, so the order is
 * the same as one walk's.
 */
export function createAutomatonWalker(a: Automaton, options: AutomatonWalkerOptions): AutomatonWalker {
  const overlap = options.maxKeyLength;
  const split = options.split !== false;
  const { classOf, delta, alphabetSize, denseStates, firstOutputState, outputStatesEnd } = a;
  const wordEndOnly = options.wordEndOnly;
  /** Whether the output state `st` after char `i` is filtered out (see `wordEndOnly`). */
  const filtered = (code: Uint16Array, len: number, st: number, i: number): boolean =>
    wordEndOnly !== undefined && wordEndOnly[st - firstOutputState] === 1 && i + 1 < len && code[i + 1] !== SEPARATOR;
  let pendingState = new Int32Array(64);
  let pendingAt = new Int32Array(64);

  const keep = (count: number, state: number, at: number): number => {
    if (count === pendingState.length) {
      const s = new Int32Array(count * 2);
      const p = new Int32Array(count * 2);
      s.set(pendingState);
      p.set(pendingAt);
      pendingState = s;
      pendingAt = p;
    }
    pendingState[count] = state;
    pendingAt[count] = at;
    return count + 1;
  };

  return {
    walk(code, len, visit) {
      if (!split || len < 2 * overlap + MIN_HALF) {
        let st = 0;
        for (let i = 0; i < len; i++) {
          const cls = classOf[code[i]!]!;
          st = st < denseStates ? delta[st * alphabetSize + cls]! : nextState(a, st, cls);
          // Not an output state: the common case, decided by the first comparison.
          if (st < firstOutputState || st >= outputStatesEnd || filtered(code, len, st, i)) continue;
          visit(st, i);
        }
        return;
      }
      // First half [0, mid); second half [mid, len), walked from startB = mid - overlap.
      const mid = (len + overlap) >> 1;
      const startB = mid - overlap;
      let pending = 0;
      let stA = 0;
      let stB = 0;
      for (let k = 0; k < mid; k++) {
        const clsA = classOf[code[k]!]!;
        const clsB = classOf[code[startB + k]!]!;
        stA = stA < denseStates ? delta[stA * alphabetSize + clsA]! : nextState(a, stA, clsA);
        stB = stB < denseStates ? delta[stB * alphabetSize + clsB]! : nextState(a, stB, clsB);
        if (stA >= firstOutputState && stA < outputStatesEnd && !filtered(code, len, stA, k)) visit(stA, k);
        if (k >= overlap && stB >= firstOutputState && stB < outputStatesEnd && !filtered(code, len, stB, startB + k)) {
          pending = keep(pending, stB, startB + k);
        }
      }
      // When len + overlap is odd the second half has one char more than the first.
      for (let i = startB + mid; i < len; i++) {
        const cls = classOf[code[i]!]!;
        stB = stB < denseStates ? delta[stB * alphabetSize + cls]! : nextState(a, stB, cls);
        if (stB >= firstOutputState && stB < outputStatesEnd && !filtered(code, len, stB, i)) pending = keep(pending, stB, i);
      }
      for (let x = 0; x < pending; x++) visit(pendingState[x]!, pendingAt[x]!);
    },
  };
}

/**
 * The same walk in WebAssembly, over a stream that lives in `stream`'s memory with the
 * automaton's tables (`WasmStream.create(kinds, automaton, wordEndOnly)`: the filter is the
 * stream's, and `options.wordEndOnly` must be the same table); undefined without them. A `code`
 * array that is not that stream's (the normaliser took its JavaScript path for a very long text)
 * goes to `fallback`. A test checks both report the same.
 */
export function createKernelAutomatonWalker(
  stream: WasmStream | undefined,
  options: AutomatonWalkerOptions,
  fallback: AutomatonWalker,
): AutomatonWalker | undefined {
  if (!stream?.hasAutomaton || stream.wordEndOnly !== options.wordEndOnly) return undefined;
  const split = options.split !== false;
  return {
    walk(code, len, visit) {
      if (code !== stream.code()) {
        fallback.walk(code, len, visit);
        return;
      }
      const n = stream.walk(len, options.maxKeyLength, split);
      const out = stream.outputs();
      for (let k = 0; k < n; k++) visit(out[2 * k]!, out[2 * k + 1]!);
    },
  };
}
