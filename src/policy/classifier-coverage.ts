import type { Category } from '../taxonomy/categories.js';
import { listOf } from './did-you-mean.js';
import { childPointer } from './json-pointer.js';
import type { Condition, PolicyDocument, Rule } from './policy-schema.js';
import { semanticFinding, type SemanticFinding } from './semantic-finding.js';

/**
 * The categories each shipped classifier scores (its `Classifier.categories`). Validation needs
 * them without loading models or calling servers; `classifier-coverage.test.ts` fails when this
 * table and the classifiers themselves disagree.
 */
export const CLASSIFIER_CATEGORIES: Readonly<Record<string, readonly Category[]>> = {
  embedded: [
    'sexual', 'sexual/minors', 'sexual/non-consensual', 'hate', 'hate/threatening', 'harassment', 'harassment/threatening',
    'violence', 'violence/graphic', 'self-harm', 'self-harm/intent', 'self-harm/instructions', 'illicit', 'illicit/violent',
    'weapons/indiscriminate', 'jailbreak', 'profanity', 'unsafe', 'pii',
  ],
  lexicon: [
    'sexual', 'sexual/minors', 'sexual/non-consensual', 'hate', 'hate/threatening', 'harassment', 'harassment/threatening',
    'violence', 'violence/graphic', 'self-harm', 'self-harm/intent', 'self-harm/instructions', 'illicit', 'illicit/violent',
    'weapons/indiscriminate', 'jailbreak', 'profanity', 'unsafe',
  ],
  linear: ['sexual', 'sexual/minors', 'hate', 'harassment', 'violence', 'self-harm', 'illicit', 'jailbreak', 'unsafe'],
  pii: ['pii'],
  'openai-moderation': [
    'sexual', 'sexual/minors', 'harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent',
    'self-harm', 'self-harm/intent', 'self-harm/instructions', 'violence', 'violence/graphic', 'unsafe',
  ],
  'llama-guard': [
    'illicit/violent', 'violence', 'illicit', 'sexual/non-consensual', 'sexual/minors', 'defamation', 'specialized-advice', 'pii',
    'intellectual-property', 'weapons/indiscriminate', 'hate', 'self-harm', 'sexual', 'elections', 'code-abuse', 'unsafe',
  ],
};

/** The classifiers a stage runs when the policy names none. */
export const DEFAULT_STAGE_CLASSIFIERS: readonly string[] = ['embedded'];

type Stage = 'input' | 'output';

/**
 * The categories a stage can score, or undefined when a name is unknown (reported elsewhere). A
 * cascade scores its first classifier's categories: later ones only refine uncertain scores.
 */
export function stageCategories(doc: PolicyDocument, stage: Stage, table: Readonly<Record<string, readonly Category[]>> = CLASSIFIER_CATEGORIES): ReadonlySet<Category> | undefined {
  const scored = new Set<Category>();
  for (const spec of doc.classifiers?.[stage] ?? DEFAULT_STAGE_CLASSIFIERS) {
    const first = spec.split('>')[0]?.trim() ?? '';
    const categories = Object.prototype.hasOwnProperty.call(table, first) ? table[first] : undefined;
    if (!categories) return undefined;
    for (const c of categories) scored.add(c);
  }
  // The policy's own blocklists are always matched, at both stages.
  if ((doc.blocklists ?? []).length > 0) scored.add('blocklist');
  return scored;
}

interface Leaf {
  pointer: string;
  category: Category;
  /** Under an even number of `not`s: an unscored category makes it false, and so can stop the rule. */
  positive: boolean;
}

/** `never`: the condition cannot be true at this stage; `maybe` otherwise (or `always`). */
type Reach = 'never' | 'maybe' | 'always';

function reach(c: Condition, scored: ReadonlySet<Category>): Reach {
  if ('score' in c) return scored.has(c.score) ? 'maybe' : 'never';
  if ('all' in c) {
    const parts = c.all.map((x) => reach(x, scored));
    return parts.includes('never') ? 'never' : parts.every((p) => p === 'always') ? 'always' : 'maybe';
  }
  if ('any' in c) {
    const parts = c.any.map((x) => reach(x, scored));
    return parts.includes('always') ? 'always' : parts.every((p) => p === 'never') ? 'never' : 'maybe';
  }
  if ('not' in c) {
    const inner = reach(c.not, scored);
    return inner === 'never' ? 'always' : inner === 'always' ? 'never' : 'maybe';
  }
  return 'maybe';
}

function unscoredLeaves(c: Condition, pointer: string, positive: boolean, scored: ReadonlySet<Category>, out: Leaf[]): void {
  if ('score' in c) {
    if (!scored.has(c.score)) out.push({ pointer: childPointer(pointer, 'score'), category: c.score, positive });
  } else if ('all' in c) c.all.forEach((x, i) => unscoredLeaves(x, childPointer(pointer, 'all', i), positive, scored, out));
  else if ('any' in c) c.any.forEach((x, i) => unscoredLeaves(x, childPointer(pointer, 'any', i), positive, scored, out));
  else if ('not' in c) unscoredLeaves(c.not, childPointer(pointer, 'not'), !positive, scored, out);
}

function scorersOf(category: Category, table: Readonly<Record<string, readonly Category[]>>): string[] {
  return Object.keys(table).filter((name) => table[name]?.includes(category));
}

function hintFor(category: Category, stages: readonly Stage[], table: Readonly<Record<string, readonly Category[]>>): string {
  if (category === 'blocklist') return 'the `blocklist` score comes from the policy’s `blocklists`; define one, or use a `{ "blocklist": ID }` condition';
  const scorers = scorersOf(category, table);
  const where = stages.map((s) => `\`classifiers.${s}\``).join(' and ');
  return scorers.length > 0 ? `add a classifier that scores it to ${where}: ${listOf(scorers)}` : `no shipped classifier scores \`${category}\``;
}

function stagesOf(rule: Rule): Stage[] {
  return rule.stage === 'both' ? ['input', 'output'] : [rule.stage];
}

/**
 * A rule tests a score that no classifier of its stage produces: the score is unknown on every
 * request and compares false, so the rule silently never fires on it. For a `block` or `redact`
 * rule (what protects) that is an error: a policy listing only `pii` would route sexual content
 * involving minors to the default target. For a `route` or `warn` rule it is an error when the
 * rule can then never fire at all, and a warning when only one alternative is lost. A blind score
 * under `not` is always a warning: the `not` is then always true.
 */
export function checkClassifierCoverage(doc: PolicyDocument, table: Readonly<Record<string, readonly Category[]>>, findings: SemanticFinding[]): void {
  const scored: Record<Stage, ReadonlySet<Category> | undefined> = { input: stageCategories(doc, 'input', table), output: stageCategories(doc, 'output', table) };
  doc.rules.forEach((rule, i) => {
    const ptr = `/rules/${i}`;
    const protective = rule.effect.action === 'block' || rule.effect.action === 'redact';
    // One finding per leaf, naming every stage at which it is blind.
    const blind = new Map<string, { leaf: Leaf; stages: Stage[] }>();
    const never: Stage[] = [];
    for (const stage of stagesOf(rule)) {
      const set = scored[stage];
      if (!set) continue;
      const leaves: Leaf[] = [];
      unscoredLeaves(rule.when, `${ptr}/when`, true, set, leaves);
      for (const leaf of leaves) {
        const seen = blind.get(leaf.pointer);
        if (seen) seen.stages.push(stage);
        else blind.set(leaf.pointer, { leaf, stages: [stage] });
      }
      if (leaves.some((l) => l.positive) && reach(rule.when, set) === 'never') never.push(stage);
    }
    for (const { leaf, stages } of blind.values()) {
      const at = stages.map((s) => (s === 'input' ? 'input' : 'output')).join(' or ');
      const unscored = `no ${at} classifier of this policy scores \`${leaf.category}\``;
      if (!leaf.positive) {
        findings.push(
          semanticFinding(leaf.pointer, `${unscored}, so this \`not\` is always true in rule \`${rule.id}\``, {
            severity: 'warning',
            hint: hintFor(leaf.category, stages, table),
          }),
        );
      } else if (protective) {
        findings.push(
          semanticFinding(leaf.pointer, `rule \`${rule.id}\` ${rule.effect.action === 'block' ? 'blocks' : 'redacts'} on \`${leaf.category}\`, but ${unscored}: it would never fire on it`, {
            hint: hintFor(leaf.category, stages, table),
          }),
        );
      } else if (!never.some((s) => stages.includes(s))) {
        findings.push(
          semanticFinding(leaf.pointer, `${unscored}: this part of rule \`${rule.id}\` never matches`, { severity: 'warning', hint: hintFor(leaf.category, stages, table) }),
        );
      }
    }
    if (!protective && never.length > 0) {
      const categories = [...new Set([...blind.values()].filter((b) => b.leaf.positive && b.stages.some((s) => never.includes(s))).map((b) => b.leaf.category))];
      findings.push(
        semanticFinding(`${ptr}/when`, `rule \`${rule.id}\` can never fire at the ${never.join(' or ')} stage: no classifier there scores ${listOf(categories)}`, {
          hint: hintFor(categories[0] as Category, never, table),
        }),
      );
    }
    if (rule.effect.action === 'redact' && scored.output) {
      const out = scored.output;
      rule.effect.categories.forEach((category, j) => {
        if (!out.has(category)) {
          findings.push(
            semanticFinding(childPointer(ptr, 'effect', 'categories', j), `rule \`${rule.id}\` redacts \`${category}\`, but no output classifier of this policy scores it: nothing would be redacted`, {
              hint: hintFor(category, ['output'], table),
            }),
          );
        }
      });
    }
  });
}
