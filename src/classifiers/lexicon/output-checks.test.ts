import { describe, expect, it } from 'vitest';
import { buildAutomaton } from './aho-corasick.js';
import { buildOutputChecks, CHECK_BUCKETED, CHECK_ENDS_WORD, CHECK_INTS, CHECK_NEEDS_ONE, type CheckedVariant } from './output-checks.js';

const codes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('buildOutputChecks', () => {
  it("lists each output state's (key, variant) pairs in dictionary-link order, variants in key order, with their roles and span", () => {
    const keys = ['she', 'he', 'e'];
    const a = buildAutomaton(keys.map(codes), 0x20);
    const keyVariants = [[0], [1, 2], [3]];
    const plain = { lead: 0, extendStart: false, extendEnd: false };
    const variants: CheckedVariant[] = [
      { at: 0, boundaryAfter: true, bucketed: false, needsOne: false, ...plain },
      { at: 3, boundaryAfter: false, bucketed: true, needsOne: false, ...plain, lead: 1 },
      { at: 5, boundaryAfter: false, bucketed: false, needsOne: true, ...plain, extendStart: true },
      { at: 7, boundaryAfter: false, bucketed: false, needsOne: false, ...plain, extendEnd: true },
    ];
    // Variant 0 has roles [0, 2), 1 none, 2 [2, 3), 3 [3, 5).
    const roleFirst = Int32Array.from([0, 2, 2, 3, 5]);
    const checks = buildOutputChecks(a, keyVariants, variants, roleFirst);
    // The state after "she" completes "she", then (by its links) "he", then "e".
    let st = 0;
    for (const c of 'she') st = a.delta[st * a.alphabetSize + a.classOf[c.charCodeAt(0)]!]!;
    const o = st - a.firstOutputState;
    const entries: number[][] = [];
    for (let e = checks.first[o]!; e < checks.first[o + 1]!; e++) entries.push([...checks.entries.subarray(e * CHECK_INTS, (e + 1) * CHECK_INTS)]);
    expect(entries).toEqual([
      [3 | (CHECK_ENDS_WORD << 24), 0, 0, 0, 2, 0],
      [2 | (CHECK_BUCKETED << 24), 1, 3, 2, 2, 1],
      [2 | (CHECK_NEEDS_ONE << 24), 2, 5, 2, 3, 1 << 8],
      [1, 3, 7, 3, 5, 2 << 8],
    ]);
    expect(checks.first.length).toBe(a.outputStatesEnd - a.firstOutputState + 1);
    expect(checks.first[checks.first.length - 1]).toBe(checks.entries.length / CHECK_INTS);
  });
});
