import type { Automaton } from './aho-corasick.js';
import { LEXICON_KERNEL_WASM } from './lexicon-kernel-wasm.js';
import { ensureWasmMemory, instantiateWasmKernel, type WasmMemory } from '../../util/wasm-kernel.js';

interface KernelExports {
  memory: WasmMemory;
  fastRun(state: number, kind: number, text: number, i: number, to: number, bytes: number): number;
  walk(automaton: number, code: number, len: number, out: number, overlap: number, split: number): number;
}

/** The stream description the kernel reads: eight array pointers, then length and word count. */
const STATE = 0;
const STATE_BYTES = 64;
const KIND = STATE + STATE_BYTES;
/** The automaton's description (12 i32, see the kernel), then its tables. */
const AUTOMATON = KIND + 128;
const AUTOMATON_BYTES = 64;

/** Whether the kernel's packed sparse records (see packSparseStates) can hold `a`. */
export function kernelCanPack(a: Automaton): boolean {
  return a.alphabetSize <= 254 && a.states <= 0xffffff && a.childClass.length <= 0xffffff;
}

/**
 * The sparse states as the kernel reads them (see its A_SPARSE): per state one 8-byte record —
 * failure state and a tag (0: no child, 255: several, else the one child's class + 1), then the
 * one child's state or where its children's entries start and how many there are — and the
 * entries of states with several children, class in the top byte, state below. One record per
 * step instead of four arrays (child range, classes, states, failure): a step through a sparse
 * state reads one cache line where it read up to four.
 */
export function packSparseStates(a: Automaton): { records: Uint32Array; children: Uint32Array } {
  const sparse = a.states - a.denseStates;
  const records = new Uint32Array(sparse * 2);
  const children = new Uint32Array(a.childClass.length);
  let used = 0;
  for (let k = 0; k < sparse; k++) {
    const from = a.childStart[k]!;
    const count = a.childStart[k + 1]! - from;
    const fail = a.sparseFail[k]!;
    if (count === 0) {
      records[2 * k] = fail;
    } else if (count === 1) {
      records[2 * k] = (((a.childClass[from]! + 1) << 24) | fail) >>> 0;
      records[2 * k + 1] = a.childState[from]!;
    } else {
      records[2 * k] = ((255 << 24) | fail) >>> 0;
      records[2 * k + 1] = ((count << 24) | used) >>> 0;
      for (let x = from; x < from + count; x++) children[used++] = ((a.childClass[x]! << 24) | a.childState[x]!) >>> 0;
    }
  }
  return { records, children: children.subarray(0, used) };
}

/**
 * The dense rows as the kernel reads them: each row padded to a whole number of 64-byte cache
 * lines (87 classes of 2 bytes: 192 bytes instead of 174), the table aligned to a line. The
 * classes of letters and the separator come first in a row (classes are numbered as keys
 * introduce them, and nearly every key is letters), so a step on a letter reads one line; rows
 * that start anywhere in a line spread those 28 entries over two lines a quarter of the time.
 */
export function alignDenseRows(a: Automaton): { delta: Uint16Array | Uint32Array; stride: number } {
  const entryBytes = a.delta.BYTES_PER_ELEMENT;
  const perLine = 64 / entryBytes;
  const stride = Math.ceil(a.alphabetSize / perLine) * perLine;
  const delta = entryBytes === 2 ? new Uint16Array(a.denseStates * stride) : new Uint32Array(a.denseStates * stride);
  for (let s = 0; s < a.denseStates; s++) delta.set(a.delta.subarray(s * a.alphabetSize, (s + 1) * a.alphabetSize), s * stride);
  return { delta, stride };
}

/** The normaliser's stream arrays, as views of the kernel's memory. */
export interface StreamArrays {
  code: Uint16Array<ArrayBuffer>;
  run: Uint8Array<ArrayBuffer>;
  flag: Uint8Array<ArrayBuffer>;
  start: Int32Array<ArrayBuffer>;
  end: Int32Array<ArrayBuffer>;
  word: Int32Array<ArrayBuffer>;
  wordStart: Int32Array<ArrayBuffer>;
  wordEnd: Int32Array<ArrayBuffer>;
  /** (state, position) pairs of the automaton walk: room for two per stream char (none without an automaton). */
  outputs: Int32Array<ArrayBuffer>;
}

/**
 * The text and the stream of one `TextNormaliser` in WebAssembly memory, so that the kernel can
 * write plain ASCII words (most of any text) while the JavaScript general path writes the rest
 * into the same arrays, and the automaton can be walked over them. Layout: the kernel's state,
 * the ASCII kind table, the automaton's tables (copied once), the text, then the stream arrays.
 * Growing moves the arrays up in place (last first, so none is overwritten before it is copied)
 * and detaches every earlier view, so callers take fresh ones.
 */
export class WasmStream {
  private readonly kernel: KernelExports;
  private textChars = 0;
  private streamCap = 0;
  private wordCap = 0;
  private arrays: StreamArrays | undefined;
  private textBuffer: Buffer = Buffer.alloc(0);
  private stateView: Int32Array = new Int32Array(0);
  private bytesView: Uint8Array = new Uint8Array(0);
  private readonly encoder = new TextEncoder();
  /** Where the text starts: after the automaton's tables, when there is one. */
  private readonly textAt: number;
  /** Whether the automaton's tables are in this memory (`walk` needs them). */
  readonly hasAutomaton: boolean;
  /** The walk's word-end filter (see AutomatonWalkerOptions.wordEndOnly), when it has one. */
  readonly wordEndOnly: Uint8Array | undefined;

  private constructor(kernel: KernelExports, asciiKinds: Uint8Array, automaton: Automaton | undefined, wordEndOnly: Uint8Array | undefined) {
    this.kernel = kernel;
    this.ensureBytes(AUTOMATON + AUTOMATON_BYTES);
    new Uint8Array(kernel.memory.buffer, KIND, 128).set(asciiKinds.subarray(0, 128));
    this.textAt = automaton ? this.loadAutomaton(automaton, wordEndOnly) : AUTOMATON + AUTOMATON_BYTES;
    this.hasAutomaton = automaton !== undefined;
    this.wordEndOnly = automaton ? wordEndOnly : undefined;
  }

  /**
   * A stream in WebAssembly memory, or undefined where WebAssembly cannot run. With an automaton,
   * its tables (and the walk's word-end filter, one byte per output state) are copied in once, for `walk`.
   */
  static create(asciiKinds: Uint8Array, automaton?: Automaton, wordEndOnly?: Uint8Array): WasmStream | undefined {
    const kernel = instantiateWasmKernel<KernelExports>(LEXICON_KERNEL_WASM);
    if (!kernel) return undefined;
    try {
      // The kernel's sparse records hold a class in a byte and a state in 24 bits: an automaton
      // past that is walked in JavaScript (the shipped one has 87 classes and about 160,000 states).
      return new WasmStream(kernel, asciiKinds, automaton && kernelCanPack(automaton) ? automaton : undefined, wordEndOnly);
    } catch {
      // Growing the memory failed (an embedder's limits): JavaScript serves.
      return undefined;
    }
  }

  /** Copies the automaton's tables after its description block; returns where they end. */
  private loadAutomaton(a: Automaton, wordEndOnly: Uint8Array | undefined): number {
    if (wordEndOnly && wordEndOnly.length !== a.outputStatesEnd - a.firstOutputState) throw new RangeError('word-end filter: one byte per output state');
    const { records, children } = packSparseStates(a);
    const { delta, stride } = alignDenseRows(a);
    const tables: Array<Uint8Array | Uint16Array | Uint32Array | Int32Array> = [a.classOf, delta, records, children];
    if (wordEndOnly) tables.push(wordEndOnly);
    const offsets: number[] = [];
    let at = AUTOMATON + AUTOMATON_BYTES;
    for (const t of tables) {
      // Cache-line aligned, so that each dense row starts a line.
      at = (at + 63) & ~63;
      offsets.push(at);
      at += t.byteLength;
    }
    at = (at + 15) & ~15;
    this.ensureBytes(at);
    const bytes = new Uint8Array(this.kernel.memory.buffer);
    tables.forEach((t, k) => bytes.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), offsets[k]!));
    const block = new Int32Array(this.kernel.memory.buffer, AUTOMATON, 12);
    block.set([
      offsets[0]!,
      offsets[1]!,
      stride,
      a.denseStates,
      a.firstOutputState,
      a.outputStatesEnd,
      offsets[2]!,
      offsets[3]!,
      0,
      0,
      a.delta instanceof Uint32Array ? 1 : 0,
      wordEndOnly ? offsets[4]! : 0,
    ]);
    return at;
  }

  /** The pairs the last `walk` wrote: state, position, state, position, … */
  outputs(): Int32Array {
    return this.arrays!.outputs;
  }

  /** The stream's `code` array as of the last `reserve` (the one `walk` reads). */
  code(): Uint16Array | undefined {
    return this.arrays?.code;
  }

  /**
   * Runs the automaton over the stream's first `length` chars (the `code` array of the last
   * `reserve`) and returns how many (state, position) pairs it wrote to `outputs`.
   */
  walk(length: number, overlap: number, split: boolean): number {
    const a = this.arrays!;
    return this.kernel.walk(AUTOMATON, a.code.byteOffset, length, a.outputs.byteOffset, overlap, split ? 1 : 0);
  }

  /**
   * Puts `text[from, to)` where the kernel reads it (its offsets stay those of the whole text)
   * and returns how the kernel must read it: 1 when as bytes (the whole text, all ASCII).
   */
  loadText(text: string, from: number, to: number, ascii: boolean): number {
    const n = to - from;
    this.layout(Math.max(n, this.textChars), this.streamCap, this.wordCap, 0, 0);
    if (ascii && from === 0 && to === text.length) {
      this.encoder.encodeInto(text, this.bytesView);
      return 1;
    }
    // UTF-16 code units as they are (lone surrogates too), copied natively.
    this.textBuffer.write(from === 0 && to === text.length ? text : text.slice(from, to), 0, 'utf16le');
    return 0;
  }

  /** Stream arrays with room for `chars` stream chars and words, keeping what is written. */
  reserve(chars: number, keepChars: number, keepWords: number): StreamArrays {
    if (this.arrays && chars <= this.streamCap && chars <= this.wordCap) return this.arrays;
    const cap = Math.max(chars, this.streamCap * 2, 256);
    return this.layout(this.textChars, cap, cap, keepChars, keepWords);
  }

  /**
   * Runs the kernel from stream position `length` (and `words` words) over text chars [i, to);
   * returns where it stopped, and the new length and word count through `counts`.
   */
  fastRun(i: number, to: number, from: number, bytes: number, length: number, words: number, counts: Int32Array): number {
    const state = this.stateView;
    state[8] = length;
    state[9] = words;
    // Text offsets are absolute: the pointer is shifted back by `from` chars (wrapping is fine).
    const text = bytes === 1 ? this.textAt : (this.textAt - from * 2) >>> 0;
    const stopped = this.kernel.fastRun(STATE, KIND, text, i, to, bytes);
    counts[0] = state[8]!;
    counts[1] = state[9]!;
    return stopped;
  }

  private ensureBytes(end: number): void {
    ensureWasmMemory(this.kernel.memory, end);
  }

  private layout(textChars: number, streamCap: number, wordCap: number, keepChars: number, keepWords: number): StreamArrays {
    if (this.arrays && textChars === this.textChars && streamCap === this.streamCap && wordCap === this.wordCap) return this.arrays;
    const align = (x: number): number => (x + 15) & ~15;
    // The walk's (state, position) pairs need room for two per stream char, with an automaton only.
    const outputBytes = this.hasAutomaton ? streamCap * 16 : 0;
    const sizes = [streamCap * 2, streamCap, streamCap, streamCap * 4, streamCap * 4, streamCap * 4, wordCap * 4, wordCap * 4, outputBytes];
    const keep = [keepChars * 2, keepChars, keepChars, keepChars * 4, keepChars * 4, keepChars * 4, keepWords * 4, keepWords * 4, 0];
    const offsets: number[] = [];
    let at = align(this.textAt + textChars * 2);
    for (const size of sizes) {
      offsets.push(at);
      at = align(at + size);
    }
    // Read the old offsets before growing: growing detaches the views, which then report 0.
    const old = this.arrays;
    const oldOffsets = old
      ? [old.code, old.run, old.flag, old.start, old.end, old.word, old.wordStart, old.wordEnd, old.outputs].map((v) => v.byteOffset)
      : [];
    this.ensureBytes(at);
    if (old && (keepChars > 0 || keepWords > 0)) {
      const bytes = new Uint8Array(this.kernel.memory.buffer);
      // Every array moves up or stays: copy the last first.
      for (let k = sizes.length - 1; k >= 0; k--) {
        const from = oldOffsets[k]!;
        bytes.copyWithin(offsets[k]!, from, from + keep[k]!);
      }
    }
    const buffer = this.kernel.memory.buffer;
    this.textChars = textChars;
    this.streamCap = streamCap;
    this.wordCap = wordCap;
    this.textBuffer = Buffer.from(buffer, this.textAt, textChars * 2);
    this.bytesView = new Uint8Array(buffer, this.textAt, textChars);
    this.arrays = {
      code: new Uint16Array(buffer, offsets[0]!, streamCap),
      run: new Uint8Array(buffer, offsets[1]!, streamCap),
      flag: new Uint8Array(buffer, offsets[2]!, streamCap),
      start: new Int32Array(buffer, offsets[3]!, streamCap),
      end: new Int32Array(buffer, offsets[4]!, streamCap),
      word: new Int32Array(buffer, offsets[5]!, streamCap),
      wordStart: new Int32Array(buffer, offsets[6]!, wordCap),
      wordEnd: new Int32Array(buffer, offsets[7]!, wordCap),
      outputs: new Int32Array(buffer, offsets[8]!, outputBytes / 4),
    };
    this.stateView = new Int32Array(buffer, STATE, 10);
    for (let k = 0; k < 8; k++) this.stateView[k] = offsets[k]!;
    return this.arrays;
  }
}
