import type { ResolvedRule } from '../policy/policy.js';
import type { Condition, Effect } from '../policy/policy-schema.js';

const OPS: Readonly<Record<string, string>> = { gte: '>=', gt: '>', lte: '<=', lt: '<' };

/** A condition on one line: `sexual >= 0.5 and not request.servedTarget = "restricted"`. */
export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.length === 0 ? 'always' : c.all.map(group).join(' and ');
  if ('any' in c) return c.any.length === 0 ? 'never' : c.any.map(group).join(' or ');
  if ('not' in c) return `not ${group(c.not)}`;
  if ('blocklist' in c) return `blocklist ${c.blocklist}`;
  const r = c as Record<string, unknown>;
  const name = typeof r['score'] === 'string' ? r['score'] : typeof r['subject'] === 'string' ? `subject.${r['subject']}` : `request.${String(r['request'])}`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (k === 'score' || k === 'subject' || k === 'request') continue;
    if (k in OPS) parts.push(`${name} ${OPS[k]} ${String(v)}`);
    else if (k === 'equals') parts.push(`${name} = ${JSON.stringify(v)}`);
    else if (k === 'in') parts.push(`${name} in ${JSON.stringify(v)}`);
    else if (k === 'exists') parts.push(v ? `${name} exists` : `${name} is absent`);
  }
  return parts.length === 0 ? name : parts.join(' and ');
}

function group(c: Condition): string {
  const text = describeCondition(c);
  return 'all' in c || 'any' in c ? `(${text})` : text;
}

export function describeEffect(e: Effect): string {
  switch (e.action) {
    case 'block':
      return `block (${e.reason})`;
    case 'route':
      return `route to ${e.target} (precedence ${e.precedence})`;
    case 'redact':
      return `redact ${e.categories.join(', ')}`;
    default:
      return e.message != null ? `warn (message ${e.message})` : 'warn';
  }
}

export function describeRule(r: ResolvedRule): string {
  return `${describeEffect(r.effect)} at ${r.stage} when ${describeCondition(r.when)}`;
}

/** Any other value, short: strings bare, the rest as JSON. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length === 0 ? '[]' : v.join(', ');
  return JSON.stringify(v);
}
