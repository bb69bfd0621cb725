import type { Category } from '../taxonomy/categories.js';
import type { Condition, Rule } from '../policy/policy-schema.js';
import type { ThresholdOp } from './precision-recall.js';

export interface PolicyThreshold {
  value: number;
  op: ThresholdOp;
  /** The rules that compare the category with this value. */
  rules: string[];
}

/**
 * The threshold `eval` scores each category at: the lowest `gte`/`gt` any rule of the stage
 * compares it with, i.e. the most sensitive point at which the policy acts on it. Conditions
 * under `not` are skipped: there a threshold bounds the score from above. At equal values `gte`
 * wins over `gt` (it fires on more).
 */
export function policyThresholds(rules: readonly Pick<Rule, 'id' | 'stage' | 'when'>[], stage: 'input' | 'output'): Map<Category, PolicyThreshold> {
  const found = new Map<Category, PolicyThreshold>();
  const consider = (category: Category, value: number, op: ThresholdOp, rule: string): void => {
    const current = found.get(category);
    if (!current || value < current.value || (value === current.value && op === 'gte' && current.op === 'gt')) {
      found.set(category, { value, op, rules: [rule] });
    } else if (value === current.value && op === current.op && !current.rules.includes(rule)) {
      current.rules.push(rule);
    }
  };
  const walk = (condition: Condition, rule: string): void => {
    if ('score' in condition) {
      if (condition.gte != null) consider(condition.score, condition.gte, 'gte', rule);
      if (condition.gt != null) consider(condition.score, condition.gt, 'gt', rule);
    } else if ('all' in condition) condition.all.forEach((c) => walk(c, rule));
    else if ('any' in condition) condition.any.forEach((c) => walk(c, rule));
  };
  for (const rule of rules) {
    const ruleStage = rule.stage ?? 'input';
    if (ruleStage !== 'both' && ruleStage !== stage) continue;
    walk(rule.when, rule.id);
  }
  return found;
}
