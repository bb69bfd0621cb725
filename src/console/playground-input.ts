import { AGE_METHODS, ASSURANCE_LEVELS, type AgeMethod, type AssuranceLevel, type ConsentEvent, type SubjectContext } from '../subjects/subject-context.js';

/** The playground form, as typed. */
export interface PlaygroundForm {
  tenant: string;
  stage: 'input' | 'output';
  text: string;
  jurisdiction: string;
  ageOver: string;
  ageLevel: string;
  ageMethod: string;
  /** `scope@version`, comma separated, e.g. `adult-content@2.0.0`. */
  consents: string;
}

export const EMPTY_PLAYGROUND: PlaygroundForm = { tenant: '', stage: 'input', text: '', jurisdiction: '', ageOver: '', ageLevel: 'enhanced', ageMethod: 'photo_id_match', consents: '' };

export function playgroundFormOf(body: Record<string, unknown>): PlaygroundForm {
  const s = (k: keyof PlaygroundForm): string => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return { tenant: s('tenant'), stage: s('stage') === 'output' ? 'output' : 'input', text: s('text'), jurisdiction: s('jurisdiction').trim(), ageOver: s('ageOver').trim(), ageLevel: s('ageLevel'), ageMethod: s('ageMethod'), consents: s('consents') };
}

/**
 * The described subject as `decide()` reads it: age evidence verified a day ago (expiring in a
 * year), consents given a day ago. Problems are said in words, per field.
 */
export function subjectOf(form: PlaygroundForm, now: Date): { subject: SubjectContext; problems: string[] } {
  const problems: string[] = [];
  const subject: SubjectContext = { id: 'playground' };
  if (form.jurisdiction !== '') {
    if (!/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/.test(form.jurisdiction)) problems.push(`Jurisdiction “${form.jurisdiction}” is not a region code such as GB or US-UT.`);
    else {
      subject.jurisdiction = form.jurisdiction.toUpperCase();
      subject.jurisdictionSource = 'declared';
    }
  }
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  if (form.ageOver !== '') {
    const over = Number(form.ageOver);
    if (!Number.isInteger(over) || over < 1 || over > 120) problems.push(`Age “${form.ageOver}” is not a whole number of years.`);
    else if (!(ASSURANCE_LEVELS as readonly string[]).includes(form.ageLevel)) problems.push(`Assurance level “${form.ageLevel}” is not one of ${ASSURANCE_LEVELS.join(', ')}.`);
    else if (!(AGE_METHODS as readonly string[]).includes(form.ageMethod)) problems.push(`Method “${form.ageMethod}” is not one of ${AGE_METHODS.join(', ')}.`);
    else {
      subject.age = { over, level: form.ageLevel as AssuranceLevel, method: form.ageMethod as AgeMethod, verifiedAt: dayAgo, expiresAt: new Date(now.getTime() + 365 * 86_400_000).toISOString() };
    }
  }
  const consents: ConsentEvent[] = [];
  for (const part of form.consents.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([a-z0-9][a-z0-9._-]*)@(\d+\.\d+\.\d+)$/.exec(part);
    if (!m) problems.push(`Consent “${part}” is not scope@version, e.g. adult-content@2.0.0.`);
    else consents.push({ scope: m[1] as string, version: m[2] as string, state: 'given', at: dayAgo });
  }
  if (consents.length > 0) subject.consents = consents;
  return { subject, problems };
}
