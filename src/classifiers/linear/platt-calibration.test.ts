import { describe, expect, it } from 'vitest';
import { applyPlatt, fitPlatt } from './platt-calibration.js';

function noisyData(n: number): { z: number[]; y: number[] } {
  // Deterministic: positives centred at +1, negatives at -1, with overlap.
  const z: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const jitter = Math.sin(i * 12.9898) * 1.5;
    const label = i % 3 === 0 ? 1 : 0;
    z.push((label ? 1 : -1) + jitter);
    y.push(label);
  }
  return { z, y };
}

describe('Platt calibration', () => {
  it('fits a positive slope and a base rate close to the data', () => {
    const { z, y } = noisyData(600);
    const cal = fitPlatt(z, y);
    expect(cal.a).toBeGreaterThan(0);
    const mean = z.reduce((s, v) => s + applyPlatt(cal, v), 0) / z.length;
    expect(mean).toBeCloseTo(1 / 3, 1);
  });

  it('is monotonic and finite over the whole range', () => {
    const cal = fitPlatt(noisyData(300).z, noisyData(300).y);
    let prev = -1;
    for (let z = -1e6; z <= 1e6; z += 1e6 / 50) {
      const p = applyPlatt(cal, z);
      expect(Number.isFinite(p)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
    }
    const grid = Array.from({ length: 81 }, (_, i) => applyPlatt(cal, -20 + i * 0.5));
    for (let i = 1; i < grid.length; i++) expect(grid[i]!).toBeGreaterThanOrEqual(grid[i - 1]!);
    expect(grid[0]!).toBeLessThan(grid[grid.length - 1]!);
  });

  it('never inverts the order, even for an anti-correlated score', () => {
    const { z, y } = noisyData(300);
    const cal = fitPlatt(z.map((v) => -v), y);
    expect(cal.a).toBeGreaterThan(0);
  });

  it('uses sample weights', () => {
    const z = [-1, -1, 1, 1];
    const y = [0, 1, 0, 1];
    const heavyPositives = fitPlatt(z, y, [1, 10, 1, 10]);
    const plain = fitPlatt(z, y);
    expect(applyPlatt(heavyPositives, 0)).toBeGreaterThan(applyPlatt(plain, 0));
  });

  it('returns the identity when one class is missing', () => {
    expect(fitPlatt([1, 2, 3], [1, 1, 1])).toEqual({ method: 'platt', a: 1, b: 0 });
  });
});
