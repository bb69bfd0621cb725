import type { DecisionFacts } from '../../decision/decision-facts.js';
import type { Condition } from '../../policy/policy-schema.js';
import type { EffectiveRequirements } from '../../policy/requirements.js';
import { formatScore } from '../../policy/evaluate-condition.js';

/** A condition in one line, as a policy author writes it. */
export function describeCondition(c: Condition): string {
  if ('all' in c) return `all(${c.all.map(describeCondition).join(', ')})`;
  if ('any' in c) return `any(${c.any.map(describeCondition).join(', ')})`;
  if ('not' in c) return `not(${describeCondition(c.not)})`;
  if ('blocklist' in c) return `blocklist \`${c.blocklist}\``;
  const parts: string[] = [];
  const o = c as Record<string, unknown>;
  for (const op of ['gte', 'gt', 'lte', 'lt', 'equals', 'in', 'exists'] as const) if (o[op] !== undefined) parts.push(`${op} ${JSON.stringify(o[op])}`);
  const what = 'score' in c ? `score \`${c.score}\`` : 'subject' in c ? `subject \`${c.subject}\`` : `request \`${c.request}\``;
  return `${what} ${parts.join(' and ')}`;
}

export function describeRequirements(req: EffectiveRequirements): string {
  const parts: string[] = [];
  if (req.age) {
    parts.push(
      `age ${req.age.minimum}+ at ${req.age.level}` +
        (req.age.methods ? ` by ${req.age.methods.join('/')}` : '') +
        (req.age.maxAgeDays != null ? `, verified within ${req.age.maxAgeDays} days` : ''),
    );
  }
  for (const c of req.consent) parts.push(`consent \`${c.scope}\` ${c.minVersion}+`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

/** The facts, one line per kind. */
export function describeFacts(f: DecisionFacts): string[] {
  const q = f.request;
  const request = [
    q.tenant !== undefined ? `tenant=${q.tenant}` : undefined,
    q.app !== undefined ? `app=${q.app}` : undefined,
    q.model !== undefined ? `model=${q.model}` : undefined,
    `hasImages=${q.hasImages}`,
    q.servedTarget !== undefined ? `servedTarget=${q.servedTarget}` : undefined,
    ...Object.entries(q.metadata ?? {}).map(([k, v]) => `metadata.${k}=${JSON.stringify(v)}`),
  ].filter((x) => x !== undefined);
  const lines = [`request     ${request.join(' ')}`];
  const scores = Object.entries(f.scores).map(([k, v]) => `${k} ${formatScore(v as number)}`);
  lines.push(`scores      ${scores.length > 0 ? scores.join(', ') : 'none'}`);
  lines.push(`blocklists  ${f.blocklistHits.length > 0 ? f.blocklistHits.join(', ') : 'no hit'}`);
  if (f.failed) lines.push(`failed      classifiers scoring ${f.failed.categories.join(', ') || 'nothing'}${f.failed.blocklist ? '; the blocklist matcher' : ''}`);
  const s = f.subject;
  if (!s) {
    lines.push('subject     none');
    return lines;
  }
  const j = s.jurisdiction;
  lines.push(`region      ${j?.code ?? 'none given'}${j?.source !== undefined ? ` (${j.source})` : ''}${j?.rejected !== undefined ? `; rejected from ${j.rejected}` : ''}`);
  const a = s.age;
  lines.push(
    a
      ? `age         over ${a.over} by ${a.method} at ${a.level}, verified ${a.verifiedAt}${a.expiresAt !== undefined ? `, expires ${a.expiresAt}` : ''}`
      : `age         ${s.rejectedAttestation ? `attestation rejected: ${s.rejectedAttestation.reason}` : 'not verified'}`,
  );
  lines.push(`consents    ${s.consents.length > 0 ? s.consents.map((c) => `${c.scope} ${c.state} ${c.version}${c.since !== undefined ? ` since ${c.since}` : ''}`).join('; ') : 'none'}`);
  if (s.attributes) lines.push(`attributes  ${Object.entries(s.attributes).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);
  return lines;
}
