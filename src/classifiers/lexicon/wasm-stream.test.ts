import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../util/seeded-random.js';
import { buildAutomaton } from './aho-corasick.js';
import { createAutomatonWalker, createKernelAutomatonWalker } from './automaton-walker.js';
import { compileLexicon } from './compile-lexicon.js';
import { loadLexicons } from './load-lexicons.js';
import { TextNormaliser } from './normalise-text.js';
import { kernelCanPack } from './wasm-stream.js';

/** Committed training requests: real prose, punctuation and apostrophes. */
const requestTexts = ['requests_benign.jsonl', 'requests_everyday.jsonl', 'requests_adult.jsonl'].flatMap((f) =>
  readFileSync(new URL(`../../../classifiers/train/data/${f}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text),
);

const PIECES = [
  'the', 'kill', "don't", 'SEX', 'sooo', 'a', 'I', 's e x', 'f.u.c.k', 'k1ll', '12yo', '2024', 'a$$', '@name', 'hi!', 'x',
  'ünïcödé', 'ﬁne', '日本語', '😀', 'сех', '\u200b', '\ufdfa', '’', '-', ',', '.', '\n', '  ', '\t', '*', '|',
];
/** Random texts over words, spelled-out letters, leetspeak, non-ASCII, expansions and separators. */
function randomTexts(count: number, seed: number): string[] {
  const rnd = createSeededRandom(seed);
  return Array.from({ length: count }, () => {
    let t = '';
    const words = Math.floor(rnd() * 120);
    for (let i = 0; i < words; i++) t += PIECES[Math.floor(rnd() * PIECES.length)]! + (rnd() < 0.7 ? ' ' : '');
    return t;
  });
}

function streamOf(n: TextNormaliser): unknown {
  const len = n.length;
  return {
    length: len,
    words: n.words,
    code: Array.from(n.code.subarray(0, len)),
    run: Array.from(n.run.subarray(0, len)),
    flag: Array.from(n.flag.subarray(0, len)),
    start: Array.from(n.start.subarray(0, len)),
    end: Array.from(n.end.subarray(0, len)),
    word: Array.from(n.word.subarray(0, len)),
    wordStart: Array.from(n.wordStart.subarray(0, n.words)),
    wordEnd: Array.from(n.wordEnd.subarray(0, n.words)),
  };
}

describe('the WebAssembly fast path of the normaliser', () => {
  it('runs here', () => {
    expect(new TextNormaliser().wasm).toBeDefined();
  });

  it('writes exactly the stream the JavaScript path writes, ranges within a text included', () => {
    const wasm = new TextNormaliser();
    const js = new TextNormaliser({ kernel: false });
    const texts = [...requestTexts, ...randomTexts(1500, 3), '', ' ', 'a', 'ab', 'I a m', 'hello'.repeat(3000)];
    for (const t of texts) {
      wasm.normalise(t);
      js.normalise(t);
      expect(streamOf(wasm), t.slice(0, 60)).toEqual(streamOf(js));
      if (t.length > 20) {
        const from = Math.floor(t.length / 3);
        wasm.normalise(t, from, t.length - 3);
        js.normalise(t, from, t.length - 3);
        expect(streamOf(wasm)).toEqual(streamOf(js));
      }
    }
  });

  it('keeps what it wrote when the stream grows in the middle of a text', () => {
    // Each U+FDFA spells 18 chars: the general path outgrows the room reserved up front.
    const t = 'plain words first, then ' + '\ufdfa '.repeat(400) + ' and plain words again';
    const wasm = new TextNormaliser();
    const js = new TextNormaliser({ kernel: false });
    wasm.normalise('short');
    wasm.normalise(t);
    js.normalise(t);
    expect(streamOf(wasm)).toEqual(streamOf(js));
  });
});

describe('the WebAssembly automaton walk', () => {
  it('reports what the JavaScript walk reports, in one piece and in two halves', () => {
    const rnd = createSeededRandom(5);
    const words = ['the', 'sex', 'kill', 'a', 'i', 'him', 'ass', 'class', 'the kill', 'sex with', 'twelve year old'];
    const keys = [...new Set(words.map((w) => ` ${w}`))].map((k) => [...k].map((c) => c.charCodeAt(0)));
    const automaton = buildAutomaton(keys, 0x20);
    const maxKeyLength = Math.max(...keys.map((k) => k.length));
    let visits = 0;
    for (const split of [true, false]) {
      const n = new TextNormaliser({ automaton });
      const js = createAutomatonWalker(automaton, { maxKeyLength, split });
      const kernel = createKernelAutomatonWalker(n.wasm, { maxKeyLength, split }, js);
      expect(kernel).toBeDefined();
      for (let round = 0; round < 300; round++) {
        let text = '';
        const count = Math.floor(rnd() * 200);
        for (let i = 0; i < count; i++) text += words[Math.floor(rnd() * words.length)] + (rnd() < 0.2 ? ', ' : ' ');
        n.normalise(text);
        const a: number[] = [];
        const b: number[] = [];
        kernel!.walk(n.code, n.length, (s, i) => a.push(s, i));
        js.walk(n.code, n.length, (s, i) => b.push(s, i));
        expect(a).toEqual(b);
        visits += a.length / 2;
      }
    }
    expect(visits).toBeGreaterThan(10_000);
  });
});

describe('the sparse states of the WebAssembly walk', () => {
  it('step like the JavaScript walk through states with no child, one child and several', () => {
    // Long keys that share long prefixes: deep (sparse) states with one child, several, and none.
    const words = ['understanding', 'understand', 'understood', 'underground', 'undertaker', 'undertake', 'under the table', 'under the bridge', 'under the sea'];
    const keys = words.map((w) => [...` ${w}`].map((c) => c.charCodeAt(0)));
    const automaton = buildAutomaton(keys, 0x20);
    const maxKeyLength = Math.max(...keys.map((k) => k.length));
    const sparse = automaton.states - automaton.denseStates;
    let several = 0;
    for (let k = 0; k < sparse; k++) if (automaton.childStart[k + 1]! - automaton.childStart[k]! > 1) several++;
    expect(several).toBeGreaterThan(0);
    const rnd = createSeededRandom(11);
    const n = new TextNormaliser({ automaton });
    const js = createAutomatonWalker(automaton, { maxKeyLength, split: false });
    const kernel = createKernelAutomatonWalker(n.wasm, { maxKeyLength, split: false }, js)!;
    let visits = 0;
    for (let round = 0; round < 200; round++) {
      let text = '';
      const count = Math.floor(rnd() * 60);
      for (let i = 0; i < count; i++) {
        const w = words[Math.floor(rnd() * words.length)]!;
        text += (rnd() < 0.3 ? w.slice(0, 1 + Math.floor(rnd() * w.length)) : w) + ' ';
      }
      n.normalise(text);
      const a: number[] = [];
      const b: number[] = [];
      kernel.walk(n.code, n.length, (st, i) => a.push(st, i));
      js.walk(n.code, n.length, (st, i) => b.push(st, i));
      expect(a).toEqual(b);
      visits += a.length / 2;
    }
    expect(visits).toBeGreaterThan(500);
  });

  it('leave an automaton of more classes than a packed record holds to the JavaScript walk', () => {
    // 300 distinct chars: a class no longer fits in the record's byte.
    const keys = Array.from({ length: 300 }, (_, i) => [0x20, 0x100 + i, 0x61]);
    const automaton = buildAutomaton(keys, 0x20);
    expect(kernelCanPack(automaton)).toBe(false);
    const n = new TextNormaliser({ automaton });
    expect(n.wasm?.hasAutomaton).toBe(false);
    const js = createAutomatonWalker(automaton, { maxKeyLength: 3 });
    expect(createKernelAutomatonWalker(n.wasm, { maxKeyLength: 3 }, js)).toBeUndefined();
  });
});

describe('the word-end filter of the walk', () => {
  it('drops exactly the outputs of flagged states not followed by a separator, in WebAssembly as in JavaScript', () => {
    const rnd = createSeededRandom(17);
    const words = ['the', 'sex', 'kill', 'a', 'i', 'him', 'ass', 'class', 'the kill', 'sex with', 'twelve year old', 'killer'];
    const keys = [...new Set(words.map((w) => ` ${w}`))].map((k) => [...k].map((c) => c.charCodeAt(0)));
    const automaton = buildAutomaton(keys, 0x20);
    const maxKeyLength = Math.max(...keys.map((k) => k.length));
    const wordEndOnly = Uint8Array.from({ length: automaton.outputStatesEnd - automaton.firstOutputState }, () => (rnd() < 0.6 ? 1 : 0));
    let kept = 0;
    let dropped = 0;
    for (const split of [true, false]) {
      const n = new TextNormaliser({ automaton, wordEndOnly });
      const all = createAutomatonWalker(automaton, { maxKeyLength, split });
      const js = createAutomatonWalker(automaton, { maxKeyLength, split, wordEndOnly });
      const kernel = createKernelAutomatonWalker(n.wasm, { maxKeyLength, split, wordEndOnly }, js);
      expect(kernel).toBeDefined();
      // A walker whose filter is not the stream's would drop what the caller does not expect.
      expect(createKernelAutomatonWalker(n.wasm, { maxKeyLength, split }, all)).toBeUndefined();
      for (let round = 0; round < 300; round++) {
        let text = '';
        const count = Math.floor(rnd() * 200);
        for (let i = 0; i < count; i++) text += words[Math.floor(rnd() * words.length)] + (rnd() < 0.2 ? ', ' : rnd() < 0.5 ? ' ' : '');
        n.normalise(text);
        const a: number[] = [];
        const b: number[] = [];
        const expected: number[] = [];
        kernel!.walk(n.code, n.length, (s, i) => a.push(s, i));
        js.walk(n.code, n.length, (s, i) => b.push(s, i));
        all.walk(n.code, n.length, (s, i) => {
          if (wordEndOnly[s - automaton.firstOutputState] === 1 && i + 1 < n.length && n.code[i + 1] !== 0x20) dropped++;
          else expected.push(s, i);
        });
        expect(a).toEqual(expected);
        expect(b).toEqual(expected);
        kept += expected.length / 2;
      }
    }
    expect(kept).toBeGreaterThan(5_000);
    expect(dropped).toBeGreaterThan(5_000);
  });
});

describe('texts longer than the WebAssembly memory takes', () => {
  it('take the JavaScript path, and the walker follows them there', () => {
    const words = ['the', 'sex', 'kill', 'him'];
    const keys = words.map((w) => [...` ${w}`].map((c) => c.charCodeAt(0)));
    const automaton = buildAutomaton(keys, 0x20);
    const n = new TextNormaliser({ automaton });
    const js = new TextNormaliser({ kernel: false });
    const jsWalker = createAutomatonWalker(automaton, { maxKeyLength: 5 });
    const kernel = createKernelAutomatonWalker(n.wasm, { maxKeyLength: 5 }, jsWalker)!;
    for (const text of ['kill him, then the sex scene. '.repeat(3000), 'a short one: kill him', 'x'.repeat(70_000) + ' the sex']) {
      n.normalise(text);
      js.normalise(text);
      expect(streamOf(n)).toEqual(streamOf(js));
      const a: number[] = [];
      const b: number[] = [];
      kernel.walk(n.code, n.length, (s, i) => a.push(s, i));
      jsWalker.walk(js.code, js.length, (s, i) => b.push(s, i));
      expect(a).toEqual(b);
      expect(a.length).toBeGreaterThan(0);
    }
  });
});

describe('the shipped lexicons with and without WebAssembly', () => {
  it('score and find the same on real and random text', () => {
    const lexicons = loadLexicons();
    const wasm = compileLexicon(lexicons);
    const js = compileLexicon(lexicons, [], { kernel: false });
    for (const t of [...requestTexts, ...randomTexts(500, 9)]) expect(wasm.scan(t)).toEqual(js.scan(t));
  });
});
