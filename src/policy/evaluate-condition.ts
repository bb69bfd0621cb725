import type { Scores } from '../taxonomy/categories.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import { classifyJurisdiction } from '../subjects/jurisdiction.js';
import type { ConditionTrace } from './evaluation-types.js';
import type { Condition, RequestCondition, ScoreCondition, SubjectCondition } from './policy-schema.js';

export type AttributeValue = string | number | boolean;

/** Request attributes a rule can test. */
export interface RequestAttributes {
  tenant?: string;
  app?: string;
  /** The model the client asked for. */
  model?: string;
  /** The request carries image parts. */
  hasImages?: boolean;
  metadata?: Record<string, AttributeValue>;
}

/** Everything a condition can look at, computed once per decision. */
export interface Facts {
  scores: Scores;
  /** Ids of policy blocklists with at least one hit. */
  blocklistHits: ReadonlySet<string>;
  subject: SubjectContext | undefined;
  request: RequestAttributes;
  /**
   * Output stage: the target that produced the text (the `servedTarget` request attribute). Kept
   * apart from `request` so no caller-supplied attribute can claim a target cleared for more.
   */
  servedTarget?: string;
}

/**
 * Evaluates a condition. With a `trace` array, records each leaf with what it observed; without
 * one it does no string work at all (the hot path). A score that no classifier produced is
 * unknown: every comparison on it is false, and the trace says `unknown`.
 */
export function evaluateCondition(
  condition: Condition,
  facts: Facts,
  trace?: ConditionTrace[],
  path = '/when',
): boolean {
  if ('score' in condition) return evaluateScore(condition, facts.scores, trace, path);
  if ('all' in condition) {
    let result = true;
    for (let i = 0; i < condition.all.length; i++) {
      const c = condition.all[i] as Condition;
      if (!evaluateCondition(c, facts, trace, trace ? `${path}/all/${i}` : path)) {
        result = false;
        if (!trace) return false;
      }
    }
    return result;
  }
  if ('any' in condition) {
    let result = false;
    for (let i = 0; i < condition.any.length; i++) {
      const c = condition.any[i] as Condition;
      if (evaluateCondition(c, facts, trace, trace ? `${path}/any/${i}` : path)) {
        result = true;
        if (!trace) return true;
      }
    }
    return result;
  }
  if ('not' in condition) {
    const inner: ConditionTrace[] | undefined = trace ? [] : undefined;
    const result = !evaluateCondition(condition.not, facts, inner, inner ? `${path}/not` : path);
    if (trace && inner) {
      for (const t of inner) trace.push({ ...t, condition: `not (${t.condition})` });
    }
    return result;
  }
  if ('blocklist' in condition) {
    const hit = facts.blocklistHits.has(condition.blocklist);
    trace?.push({
      path,
      condition: `blocklist \`${condition.blocklist}\` matched`,
      observed: hit ? 'matched' : 'no match',
      result: hit,
    });
    return hit;
  }
  if ('subject' in condition) return evaluateAttribute(condition, subjectAttribute(facts.subject, condition.subject), 'subject', condition.subject, trace, path);
  const value = condition.request === 'servedTarget' ? facts.servedTarget : requestAttribute(facts.request, condition.request);
  return evaluateAttribute(condition, value, 'request', condition.request, trace, path);
}

function evaluateScore(c: ScoreCondition, scores: Scores, trace: ConditionTrace[] | undefined, path: string): boolean {
  const s = scores[c.score];
  let result = s != null;
  if (s != null) {
    if (c.gte != null && !(s >= c.gte)) result = false;
    if (c.gt != null && !(s > c.gt)) result = false;
    if (c.lte != null && !(s <= c.lte)) result = false;
    if (c.lt != null && !(s < c.lt)) result = false;
  }
  if (trace) {
    const parts: string[] = [];
    if (c.gte != null) parts.push(`>= ${c.gte}`);
    if (c.gt != null) parts.push(`> ${c.gt}`);
    if (c.lte != null) parts.push(`<= ${c.lte}`);
    if (c.lt != null) parts.push(`< ${c.lt}`);
    trace.push({
      path,
      condition: `score \`${c.score}\` ${parts.join(' and ')}`,
      observed: s != null ? formatScore(s) : 'unknown (not scored)',
      result,
    });
  }
  return result;
}

export function formatScore(s: number): string {
  return s === 0 || s === 1 ? String(s) : s.toFixed(3);
}

function evaluateAttribute(
  c: SubjectCondition | RequestCondition,
  value: AttributeValue | undefined,
  kind: 'subject' | 'request',
  name: string,
  trace: ConditionTrace[] | undefined,
  path: string,
): boolean {
  let result = true;
  const parts: string[] = [];
  if (c.exists != null) {
    if ((value !== undefined) !== c.exists) result = false;
    if (trace) parts.push(c.exists ? 'exists' : 'is absent');
  }
  if (c.equals !== undefined) {
    if (value !== c.equals) result = false;
    if (trace) parts.push(`= ${JSON.stringify(c.equals)}`);
  }
  if (c.in !== undefined) {
    if (value === undefined || !c.in.includes(value)) result = false;
    if (trace) parts.push(`in ${JSON.stringify(c.in)}`);
  }
  if (c.gte != null) {
    if (typeof value !== 'number' || !(value >= c.gte)) result = false;
    if (trace) parts.push(`>= ${c.gte}`);
  }
  if (c.lte != null) {
    if (typeof value !== 'number' || !(value <= c.lte)) result = false;
    if (trace) parts.push(`<= ${c.lte}`);
  }
  trace?.push({
    path,
    condition: `${kind} \`${name}\` ${parts.join(' and ')}`,
    observed: value === undefined ? 'absent' : JSON.stringify(value),
    result,
  });
  return result;
}

function subjectAttribute(subject: SubjectContext | undefined, name: string): AttributeValue | undefined {
  if (!subject) return name === 'ageVerified' ? false : undefined;
  switch (name) {
    case 'id':
      return subject.id;
    case 'jurisdiction': {
      // As the jurisdiction table reads it (`gb` is `GB`); a malformed value is absent.
      const c = classifyJurisdiction(subject.jurisdiction);
      return c.kind === 'code' || c.kind === 'unassigned' ? c.code : undefined;
    }
    case 'ageVerified':
      return subject.age != null;
    case 'ageOver':
      return subject.age?.over;
    case 'ageLevel':
      return subject.age?.level;
    case 'ageMethod':
      return subject.age?.method;
    default:
      return name.startsWith('attributes.') ? subject.attributes?.[name.slice('attributes.'.length)] : undefined;
  }
}

function requestAttribute(request: RequestAttributes, name: string): AttributeValue | undefined {
  switch (name) {
    case 'tenant':
      return request.tenant;
    case 'app':
      return request.app;
    case 'model':
      return request.model;
    case 'hasImages':
      return request.hasImages ?? false;
    default:
      return name.startsWith('metadata.') ? request.metadata?.[name.slice('metadata.'.length)] : undefined;
  }
}
