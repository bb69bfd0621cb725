import { ASSURANCE_LEVELS, type AgeEvidence, type AssuranceLevel } from './subject-context.js';

export function assuranceRank(level: AssuranceLevel): number {
  return ASSURANCE_LEVELS.indexOf(level);
}

export function strongerLevel(a: AssuranceLevel | undefined, b: AssuranceLevel | undefined): AssuranceLevel | undefined {
  if (a == null) return b;
  if (b == null) return a;
  return assuranceRank(a) >= assuranceRank(b) ? a : b;
}

/**
 * The level an age verification really carries: a self-declaration is `asserted` whatever level
 * its issuer claimed, so it can never satisfy a requirement above `asserted`.
 */
export function effectiveAssurance(age: Pick<AgeEvidence, 'method' | 'level'>): AssuranceLevel {
  return age.method === 'self_declaration' ? 'asserted' : age.level;
}
