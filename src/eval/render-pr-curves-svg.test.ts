import { describe, expect, it } from 'vitest';
import { prCurve } from './precision-recall.js';
import { renderPrCurvesSvg } from './render-pr-curves-svg.js';

describe('renderPrCurvesSvg', () => {
  it('draws one path and one legend entry per category, escaping labels', () => {
    const svg = renderPrCurvesSvg([
      { label: 'sexual', points: prCurve([0.9, 0.8, 0.7], [1, 0, 1]), auprc: 0.833 },
      { label: 'a<b&"c"', points: [], auprc: null },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('sexual (AP 0.833)');
    expect(svg).toContain('a&lt;b&amp;&quot;c&quot; (AP n/a)');
  });

  it('starts at recall 0 and ends at the last recall', () => {
    const svg = renderPrCurvesSvg([{ label: 'x', points: prCurve([0.9, 0.1], [1, 1]), auprc: 1 }]);
    const d = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    // plot area: x from 60 (recall 0) to 530 (recall 1); precision 1 is y 40
    expect(d.startsWith('M60.0,40.0')).toBe(true);
    expect(d.endsWith('L530.0,40.0')).toBe(true);
  });

  it('thins very long curves', () => {
    const n = 5_000;
    const scores = Array.from({ length: n }, (_, i) => i / n);
    const labels = scores.map((_, i) => i % 2);
    const svg = renderPrCurvesSvg([{ label: 'x', points: prCurve(scores, labels), auprc: 0.5 }]);
    expect((svg.match(/ L/g) ?? []).length).toBeLessThanOrEqual(800);
  });
});
