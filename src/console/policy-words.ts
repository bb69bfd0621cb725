import { describeCondition } from '../cli/format/facts-format.js';
import type { ResolvedRule, ResolvedTarget } from '../policy/policy.js';
import type { Effect, Jurisdiction, Requirements } from '../policy/policy-schema.js';

/** A policy's parts in plain words, for people who do not read JSON. */

export function requirementsInWords(req: Requirements | ResolvedTarget['requirements'] | undefined): string {
  if (!req) return 'none';
  const parts: string[] = [];
  if (req.age) {
    const min = req.age.minimum === 'jurisdiction' ? 'the minimum age of the subject’s jurisdiction' : `${req.age.minimum}`;
    parts.push(
      `age at least ${min}, verified at assurance level ${req.age.level ?? 'standard'}` +
        (req.age.methods ? ` by ${req.age.methods.join(' or ')}` : '') +
        (req.age.maxAgeDays != null ? `, no older than ${req.age.maxAgeDays} days` : ''),
    );
  }
  for (const c of req.consent ?? []) parts.push(`consent to \`${c.scope}\` in version ${c.minVersion} or later`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

export function onUnmetInWords(target: ResolvedTarget): string {
  return target.onUnmet.action === 'block' ? `block${target.onUnmet.message ? ` with message \`${target.onUnmet.message}\`` : ''}` : `fall back to \`${target.onUnmet.target}\``;
}

export function effectInWords(effect: Effect): string {
  switch (effect.action) {
    case 'block':
      return `block (reason \`${effect.reason}\`${effect.message ? `, message \`${effect.message}\`` : ''})`;
    case 'route':
      return `route to \`${effect.target}\` (precedence ${effect.precedence})${effect.requires ? `, which then also requires ${requirementsInWords(effect.requires)}` : ''}`;
    case 'warn':
      return 'let it through with a warning';
    case 'redact':
      return `redact ${effect.categories.map((c) => `\`${c}\``).join(', ')} from the answer`;
  }
}

/** `When score sexual is at least 0.5, at the input stage: route to …`. */
export function ruleInWords(rule: ResolvedRule): string {
  const stage = rule.stage === 'both' ? 'at both stages' : `at the ${rule.stage} stage`;
  return `When ${conditionInWords(rule.when)}, ${stage}: ${effectInWords(rule.effect)}.`;
}

const OPS: Record<string, string> = { gte: 'is at least', gt: 'is above', lte: 'is at most', lt: 'is below', equals: 'equals', in: 'is one of', exists: 'exists:' };

export function conditionInWords(c: ResolvedRule['when']): string {
  if ('all' in c) return c.all.map(conditionInWords).join(' and ');
  if ('any' in c) return `either ${c.any.map(conditionInWords).join(', or ')}`;
  if ('not' in c) return `not (${conditionInWords(c.not)})`;
  if ('blocklist' in c) return `the text hits blocklist \`${c.blocklist}\``;
  const o = c as Record<string, unknown>;
  const what = 'score' in c ? `the \`${c.score}\` score` : 'subject' in c ? `the subject’s \`${c.subject}\`` : `the request’s \`${(c as { request: string }).request}\``;
  const tests = Object.keys(OPS)
    .filter((op) => o[op] !== undefined)
    .map((op) => `${OPS[op]} ${JSON.stringify(o[op])}`);
  return tests.length > 0 ? `${what} ${tests.join(' and ')}` : describeCondition(c);
}

export function jurisdictionInWords(j: Jurisdiction): string {
  const parts: string[] = [];
  if (j.minimumAge != null) parts.push(`minimum age ${j.minimumAge}`);
  if (j.level) parts.push(`assurance ${j.level}`);
  if (j.methods) parts.push(`methods ${j.methods.join(', ')}`);
  if (j.maxAgeDays != null) parts.push(`verified within ${j.maxAgeDays} days`);
  if (j.deny && j.deny.length > 0) parts.push(`no ${j.deny.map((t) => `\`${t}\``).join(', ')}`);
  return parts.join('; ') || 'the defaults';
}
