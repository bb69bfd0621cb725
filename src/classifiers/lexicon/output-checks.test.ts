import { describe, expect, it } from 'vitest';
import { buildAutomaton } from './aho-corasick.js';
import { buildOutputChecks, CHECK_BUCKETED, CHECK_ENDS_WORD, CHECK_INTS, CHECK_NEEDS_ONE, type CheckedVariant } from './output-checks.js';

const codes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('buildOutputChecks', () => {
  it("lists each output state's (key, variant) pairs in dictionary-link order, variants in key order", () => {
    const keys = ['she', 'he', 'e'];
    const a = buildAutomaton(keys.map(codes), 0x20);
    const keyVariants = [[0], [1, 2], [3]];
    const variants: CheckedVariant[] = [
      { at: 0, boundaryAfter: true, bucketed: false, needsOne: false },
      { at: 3, boundaryAfter: false, bucketed: true, needsOne: false },
      { at: 5, boundaryAfter: false, bucketed: false, needsOne: true },
      { at: 7, boundaryAfter: false, bucketed: false, needsOne: false },
    ];
    const checks = buildOutputChecks(a, keyVariants, variants);
    // The state after "she" completes "she", then (by its links) "he", then "e".
    let st = 0;
    for (const c of 'she') st = a.delta[st * a.alphabetSize + a.classOf[c.charCodeAt(0)]!]!;
    const o = st - a.firstOutputState;
    const entries: number[][] = [];
    for (let e = checks.first[o]!; e < checks.first[o + 1]!; e++) entries.push([...checks.entries.subarray(e * CHECK_INTS, (e + 1) * CHECK_INTS)]);
    expect(entries).toEqual([
      [3 | (CHECK_ENDS_WORD << 24), 0, 0],
      [2 | (CHECK_BUCKETED << 24), 1, 3],
      [2 | (CHECK_NEEDS_ONE << 24), 2, 5],
      [1, 3, 7],
    ]);
    expect(checks.first.length).toBe(a.outputStatesEnd - a.firstOutputState + 1);
    expect(checks.first[checks.first.length - 1]).toBe(checks.entries.length / CHECK_INTS);
  });
});
