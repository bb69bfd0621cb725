import { LinearModelError } from './linear-model-error.js';

/**
 * Platt scaling: p = σ(a·z + b) maps a raw logit z to a calibrated probability. `a` is kept
 * positive so calibration never reorders scores (a higher logit never means a lower risk).
 */
export interface PlattCalibration {
  method: 'platt';
  a: number;
  b: number;
}

const MIN_SLOPE = 1e-6;

export function applyPlatt(calibration: Readonly<PlattCalibration>, logit: number): number {
  const t = calibration.a * logit + calibration.b;
  // Branches keep exp() from overflowing to Infinity and turning the result into NaN.
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/**
 * Fits a and b by Newton's method with backtracking (Lin, Lin and Weng 2007), using Platt's
 * smoothed targets so a separable fold does not push the slope to infinity. Meant for
 * out-of-fold logits: fitting on training-set logits would be overconfident.
 */
export function fitPlatt(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): PlattCalibration {
  const n = logits.length;
  if (labels.length !== n || (weights && weights.length !== n)) {
    throw new LinearModelError('logits, labels and weights must have the same length');
  }
  let wPos = 0;
  let wNeg = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    if (labels[i]! > 0.5) wPos += w;
    else wNeg += w;
  }
  if (wPos === 0 || wNeg === 0) return { method: 'platt', a: 1, b: 0 };
  const tPos = (wPos + 1) / (wPos + 2);
  const tNeg = 1 / (wNeg + 2);
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) target[i] = labels[i]! > 0.5 ? tPos : tNeg;

  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      const t = a * logits[i]! + b;
      // -[y log σ(t) + (1-y) log(1-σ(t))] written to stay finite for large |t|.
      const log1pExp = t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
      f += w * (log1pExp - target[i]! * t);
    }
    return f;
  };

  let a = 1;
  let b = Math.log(wPos / wNeg);
  let f = objective(a, b);
  const sigma = 1e-12;
  for (let iter = 0; iter < 100; iter++) {
    let gA = 0;
    let gB = 0;
    let hAA = sigma;
    let hAB = 0;
    let hBB = sigma;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      const z = logits[i]!;
      const p = applyPlatt({ method: 'platt', a, b }, z);
      const d = w * (p - target[i]!);
      const s = w * p * (1 - p);
      gA += d * z;
      gB += d;
      hAA += s * z * z;
      hAB += s * z;
      hBB += s;
    }
    if (Math.abs(gA) < 1e-7 && Math.abs(gB) < 1e-7) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(-hAB * gA + hAA * gB) / det;
    const slope = gA * dA + gB * dB;
    let step = 1;
    let improved = false;
    while (step >= 1e-10) {
      const nA = a + step * dA;
      const nB = b + step * dB;
      const nf = objective(nA, nB);
      if (nf < f + 1e-4 * step * slope) {
        a = nA;
        b = nB;
        f = nf;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  if (!(a > MIN_SLOPE) || !Number.isFinite(a) || !Number.isFinite(b)) {
    // No usable signal (or an inverted one): keep the order, flatten towards the base rate.
    return { method: 'platt', a: MIN_SLOPE, b: Math.log(wPos / wNeg) };
  }
  return { method: 'platt', a, b };
}
