import { describe, expect, it } from 'vitest';
import { buildAutomaton, isOutputState, nextState, type Automaton } from './aho-corasick.js';
import { createSeededRandom } from '../../util/seeded-random.js';

const codes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Every (key, end index) the automaton reports for `text`. */
function run(a: Automaton, text: string): string[] {
  const found: string[] = [];
  let st = 0;
  for (let i = 0; i < text.length; i++) {
    st = nextState(a, st, a.classOf[text.charCodeAt(i)]!);
    if (!isOutputState(a, st)) continue;
    for (let s = st; s !== -1; s = a.dictionaryLink[s]!) {
      if (a.ownKey[s]! >= 0) found.push(`${a.ownKey[s]}@${i}`);
    }
  }
  return found.sort();
}

function naive(keys: string[], text: string): string[] {
  const found: string[] = [];
  keys.forEach((k, id) => {
    for (let i = text.indexOf(k); i >= 0; i = text.indexOf(k, i + 1)) found.push(`${id}@${i + k.length - 1}`);
  });
  return found.sort();
}

describe('buildAutomaton', () => {
  it('finds every occurrence of every key, overlapping ones included', () => {
    const keys = ['he', 'she', 'his', 'hers', 'e', ' he '];
    const a = buildAutomaton(keys.map(codes), 0x20);
    const text = 'ushers said he she hishers he ';
    expect(run(a, text)).toEqual(naive(keys, text));
  });

  it('agrees with a naive search on random keys and texts', () => {
    const random = createSeededRandom(7);
    const rand = (n: number): number => Math.floor(random() * n);
    const word = (max: number): string => Array.from({ length: 1 + rand(max) }, () => 'ab c'[rand(4)]).join('');
    for (let round = 0; round < 50; round++) {
      const keys = [...new Set(Array.from({ length: 1 + rand(12) }, () => word(5)))];
      const a = buildAutomaton(keys.map(codes), 0x20);
      const text = word(200);
      expect(run(a, text)).toEqual(naive(keys, text));
    }
  });

  it('agrees with a naive search on long keys, whose deep states have no dense row', () => {
    const random = createSeededRandom(11);
    const rand = (n: number): number => Math.floor(random() * n);
    const word = (min: number, max: number): string => Array.from({ length: min + rand(max - min + 1) }, () => 'ab c'[rand(4)]).join('');
    for (let round = 0; round < 50; round++) {
      const keys = [...new Set([...Array.from({ length: 1 + rand(8) }, () => word(7, 16)), ...Array.from({ length: rand(4) }, () => word(1, 4))])];
      const a = buildAutomaton(keys.map(codes), 0x20);
      expect(a.denseStates).toBeLessThan(a.states);
      const text = word(300, 300) + keys.join('');
      expect(run(a, text)).toEqual(naive(keys, text));
    }
  });

  it('gives chars no key uses one shared class', () => {
    const a = buildAutomaton([codes('ab')], 0x20);
    expect(a.classOf['x'.charCodeAt(0)]).toBe(a.classOf['é'.charCodeAt(0)]);
    expect(a.alphabetSize).toBe(4);
  });

  it('uses 16-bit entries when the states fit and 32-bit ones otherwise', () => {
    expect(buildAutomaton([codes('abc')], 0x20).delta).toBeInstanceOf(Uint16Array);
    const many: number[][] = [];
    for (let i = 0; i < 14_000; i++) many.push(codes(`${i.toString(36)}-${(i * 7919).toString(36)}`));
    const big = buildAutomaton(many, 0x20);
    expect(big.states).toBeGreaterThan(65_536);
    expect(big.delta).toBeInstanceOf(Uint32Array);
    expect(run(big, ' 2s-')).toEqual(naive(many.map((k) => String.fromCharCode(...k)), ' 2s-'));
  });

  it('rejects empty and duplicate keys', () => {
    expect(() => buildAutomaton([[]], 0x20)).toThrow(/empty/);
    expect(() => buildAutomaton([codes('a'), codes('a')], 0x20)).toThrow(/duplicate/);
  });
});
