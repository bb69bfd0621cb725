/**
 * Weighted logistic regression on a handful of dense features (Newton's method with a small
 * ridge), with the feature coefficients constrained to be >= 0: a feature that would get a
 * negative weight is dropped and the rest refitted. Used to stack part scores, where a
 * higher part score must never lower the combined one.
 */
export function fitMonotoneLogistic(
  features: readonly Float64Array[],
  labels: ArrayLike<number>,
  weights: ArrayLike<number>,
  ridge = 1e-3,
): { coefficients: number[]; bias: number } {
  const k = features.length;
  const active = new Array<boolean>(k).fill(true);
  for (;;) {
    const fit = newton(features, labels, weights, active, ridge);
    const negative = fit.coefficients.findIndex((c, j) => active[j] && c < 0);
    if (negative < 0) return fit;
    active[negative] = false;
  }
}

function newton(
  features: readonly Float64Array[],
  labels: ArrayLike<number>,
  weights: ArrayLike<number>,
  active: readonly boolean[],
  ridge: number,
): { coefficients: number[]; bias: number } {
  const idx = active.flatMap((a, j) => (a ? [j] : []));
  const d = idx.length + 1; // + bias
  const n = labels.length;
  const beta = new Float64Array(d);
  let wPos = 0;
  let wAll = 0;
  for (let i = 0; i < n; i++) {
    wAll += weights[i]!;
    if (labels[i]! > 0.5) wPos += weights[i]!;
  }
  beta[d - 1] = Math.log((wPos + 1) / (wAll - wPos + 1));
  const x = new Float64Array(d);
  for (let iter = 0; iter < 50; iter++) {
    const g = new Float64Array(d);
    const hess = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < idx.length; a++) x[a] = features[idx[a]!]![i]!;
      x[d - 1] = 1;
      let t = 0;
      for (let a = 0; a < d; a++) t += beta[a]! * x[a]!;
      const p = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
      const w = weights[i]!;
      const r = w * (p - (labels[i]! > 0.5 ? 1 : 0));
      const s = w * p * (1 - p);
      for (let a = 0; a < d; a++) {
        g[a]! += r * x[a]!;
        for (let b = 0; b < d; b++) hess[a * d + b]! += s * x[a]! * x[b]!;
      }
    }
    for (let a = 0; a < d - 1; a++) {
      g[a]! += ridge * beta[a]!;
      hess[a * d + a]! += ridge;
    }
    hess[(d - 1) * d + (d - 1)]! += 1e-9;
    const step = solve(hess, g, d);
    // Damped: near-separable data would otherwise overshoot before the ridge takes hold.
    let longest = 0;
    for (let a = 0; a < d; a++) longest = Math.max(longest, Math.abs(step[a]!));
    if (longest > 5) for (let a = 0; a < d; a++) step[a] = (step[a]! * 5) / longest;
    let size = 0;
    for (let a = 0; a < d; a++) {
      beta[a]! -= step[a]!;
      size = Math.max(size, Math.abs(step[a]!));
    }
    if (size < 1e-9) break;
  }
  const coefficients = new Array<number>(features.length).fill(0);
  idx.forEach((j, a) => (coefficients[j] = beta[a]!));
  return { coefficients, bias: beta[d - 1]! };
}

/** Gaussian elimination with partial pivoting on a small dense system. */
function solve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const m = Float64Array.from(a);
  const v = Float64Array.from(b);
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(m[r * d + col]!) > Math.abs(m[pivot * d + col]!)) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < d; c++) [m[col * d + c], m[pivot * d + c]] = [m[pivot * d + c]!, m[col * d + c]!];
      [v[col], v[pivot]] = [v[pivot]!, v[col]!];
    }
    const p = m[col * d + col]!;
    if (p === 0) continue;
    for (let r = col + 1; r < d; r++) {
      const f = m[r * d + col]! / p;
      if (f === 0) continue;
      for (let c = col; c < d; c++) m[r * d + c]! -= f * m[col * d + c]!;
      v[r]! -= f * v[col]!;
    }
  }
  const out = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = v[r]!;
    for (let c = r + 1; c < d; c++) s -= m[r * d + c]! * out[c]!;
    const p = m[r * d + r]!;
    out[r] = p === 0 ? 0 : s / p;
  }
  return out;
}
