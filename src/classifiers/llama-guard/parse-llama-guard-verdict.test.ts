import { describe, expect, it } from 'vitest';
import { parseLlamaGuardVerdict } from './parse-llama-guard-verdict.js';

describe('parseLlamaGuardVerdict', () => {
  it.each([
    ['safe', { safe: true, codes: [] }],
    ['  safe\n', { safe: true, codes: [] }],
    ['SAFE', { safe: true, codes: [] }],
    ['Safe.', { safe: true, codes: [] }],
    ['unsafe\nS1', { safe: false, codes: ['S1'] }],
    ['unsafe\nS1,S10', { safe: false, codes: ['S1', 'S10'] }],
    ['unsafe S2', { safe: false, codes: ['S2'] }],
    ['\n\nUNSAFE\n s12 , s4 \n', { safe: false, codes: ['S12', 'S4'] }],
    ['unsafe\nS1 S3', { safe: false, codes: ['S1', 'S3'] }],
    ['unsafe\nS01,S1', { safe: false, codes: ['S1'] }],
    ['The conversation is unsafe.\nCategories: S9 (Indiscriminate Weapons)', { safe: false, codes: ['S9'] }],
    ['unsafe\nS15', { safe: false, codes: ['S15'] }],
    ['unsafe', { safe: false, codes: [] }],
  ])('reads %j', (text, expected) => {
    expect(parseLlamaGuardVerdict(text)).toEqual(expected);
  });

  it.each(['', '   ', 'I cannot help with that.', '{"verdict": 1}', 'unsafely', 'S1,S2'])('refuses %j', (text) => {
    expect(parseLlamaGuardVerdict(text)).toHaveProperty('error');
  });

  it('refuses a safe verdict followed by hazard codes (contradiction)', () => {
    expect(parseLlamaGuardVerdict('safe\nS1')).toMatchObject({ error: expect.stringContaining('contradictory') });
  });

  it('refuses non-text', () => {
    expect(parseLlamaGuardVerdict(42 as unknown as string)).toHaveProperty('error');
  });
});
