import type { Scores } from '../../taxonomy/categories.js';
import type { Evidence } from '../classifier.js';
import type { AttackDetector } from './attack-detector.js';

/**
 * Raises `jailbreak` to the highest score of the detectors that fire on `text` (never lowers it:
 * a model's confident score stays) and adds one evidence span per finding, its source
 * `attack:<detector id>`, so `--explain` and the decision's evidence say which detector fired.
 * Writes into `scores` and `evidence`.
 */
export function applyAttackDetectors(detectors: readonly AttackDetector[], text: string, scores: Scores, evidence?: Evidence[]): Scores {
  for (const d of detectors) {
    const f = d.detect(text);
    if (!f) continue;
    const prev = scores.jailbreak;
    if (prev == null || f.score > prev) scores.jailbreak = f.score;
    evidence?.push({ category: 'jailbreak', start: f.start, end: f.end, match: f.match, source: `attack:${d.id}` });
  }
  return scores;
}
