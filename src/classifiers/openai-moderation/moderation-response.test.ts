import { describe, expect, it } from 'vitest';
import { OPENAI_MODERATION_CATEGORIES } from '../../taxonomy/openai-moderation-mapping.js';
import { OPENAI_MODERATION_CANONICAL_CATEGORIES, parseModerationResponse } from './moderation-response.js';

const result = (scores: Record<string, unknown>) => ({
  flagged: false,
  categories: Object.fromEntries(Object.keys(scores).map((k) => [k, false])),
  category_scores: scores,
  category_applied_input_types: Object.fromEntries(Object.keys(scores).map((k) => [k, ['text']])),
});
const allLow = Object.fromEntries(OPENAI_MODERATION_CATEGORIES.map((c) => [c, 0.001]));

describe('parseModerationResponse', () => {
  it('maps each result to canonical scores, unsafe being the highest', () => {
    const body = {
      id: 'modr-1',
      model: 'omni-moderation-2024-09-26',
      results: [result({ ...allLow, sexual: 0.91, 'sexual/minors': 0.02 }), result(allLow)],
    };
    const parsed = parseModerationResponse(body, 2);
    expect('results' in parsed).toBe(true);
    if (!('results' in parsed)) return;
    const [first, second] = parsed.results;
    expect(first).toMatchObject({ ok: true, scores: { sexual: 0.91, 'sexual/minors': 0.02, unsafe: 0.91, hate: 0.001 } });
    expect(second).toMatchObject({ ok: true, scores: { unsafe: 0.001 } });
  });

  it('keeps sexual/minors apart from sexual', () => {
    const parsed = parseModerationResponse({ results: [result({ ...allLow, 'sexual/minors': 0.97 })] }, 1);
    if (!('results' in parsed)) throw new Error('expected results');
    const r = parsed.results[0];
    expect(r?.ok && r.scores.sexual).toBe(0.001);
    expect(r?.ok && r.scores['sexual/minors']).toBe(0.97);
  });

  it('leaves categories the model does not report unscored (unknown, not 0)', () => {
    const { illicit: _i, 'illicit/violent': _iv, ...legacy } = allLow;
    const parsed = parseModerationResponse({ results: [result(legacy)] }, 1);
    if (!('results' in parsed)) throw new Error('expected results');
    const r = parsed.results[0];
    expect(r?.ok).toBe(true);
    if (r?.ok) {
      expect(r.scores.illicit).toBeUndefined();
      expect(r.scores.hate).toBe(0.001);
    }
  });

  it('ignores unknown vendor categories', () => {
    const parsed = parseModerationResponse({ results: [result({ ...allLow, 'new/category': 0.99 })] }, 1);
    if (!('results' in parsed)) throw new Error('expected results');
    expect(parsed.results[0]).toMatchObject({ ok: true, scores: { unsafe: 0.001 } });
  });

  it('fails a result with a non-numeric or out-of-range score', () => {
    for (const bad of ['0.5', null, 1.5, -0.2, Number.NaN]) {
      const parsed = parseModerationResponse({ results: [result({ ...allLow, hate: bad })] }, 1);
      if (!('results' in parsed)) throw new Error('expected results');
      expect(parsed.results[0]?.ok).toBe(false);
    }
  });

  it('fails the whole response on a wrong shape or a count mismatch', () => {
    expect(parseModerationResponse('not json', 1)).toHaveProperty('error');
    expect(parseModerationResponse({ results: 'x' }, 1)).toHaveProperty('error');
    expect(parseModerationResponse({ results: [{ flagged: true }] }, 1)).toHaveProperty('error');
    expect(parseModerationResponse({ results: [result(allLow)] }, 2)).toMatchObject({ error: expect.stringContaining('1 results for 2 inputs') });
  });

  it('declares every mapped category plus unsafe', () => {
    expect(OPENAI_MODERATION_CANONICAL_CATEGORIES).toContain('unsafe');
    expect(OPENAI_MODERATION_CANONICAL_CATEGORIES).toContain('sexual/minors');
    expect(OPENAI_MODERATION_CANONICAL_CATEGORIES).toHaveLength(14);
  });
});
