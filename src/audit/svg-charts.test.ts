import { describe, expect, it } from 'vitest';
import { stackedColumnsSvg } from './svg-charts.js';

// The console's overview showed "decisions over time" for one decision with an axis of
// 0, 0.3, 0.5, 0.8, 1: fractions of a decision. A count axis steps by whole, round numbers.

const axisLabels = (svg: string): string[] => [...svg.matchAll(/<text x="50" [^>]*class="val">([^<]*)<\/text>/g)].map((m) => m[1]!);
const chart = (total: number): string =>
  stackedColumnsSvg('decisions', [{ start: 0, values: { sfw: total } }], [{ key: 'sfw', label: '→ sfw', color: '#000' }], () => '00:00');

describe('stackedColumnsSvg', () => {
  it('labels the count axis in whole, round steps that reach the tallest column', () => {
    expect(axisLabels(chart(1))).toEqual(['0', '1', '2', '3', '4']);
    expect(axisLabels(chart(5))).toEqual(['0', '2', '4', '6', '8']);
    expect(axisLabels(chart(35))).toEqual(['0', '10', '20', '30', '40']);
    expect(axisLabels(chart(4100))).toEqual(['0', '2k', '4k', '6k', '8k']);
  });
});
