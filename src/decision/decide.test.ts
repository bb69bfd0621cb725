import { validatePolicyObjectOrThrow } from '../policy/load-policy.js';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import type { Classifier } from '../classifiers/classifier.js';
import { getDefaultEmbeddedClassifier } from '../classifiers/embedded/index.js';
import type { PolicyDocument } from '../policy/policy-schema.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { SubjectContext } from '../subjects/subject-context.js';

const NOW = '2026-11-28T12:00:00Z';

function policyOf(doc: Partial<PolicyDocument>): EvaluablePolicy {
  const document: PolicyDocument = {
    id: 'p',
    revision: '1',
    targets: {
      sfw: { provider: 'openai', model: 'm' },
      private: { provider: 'ollama', model: 'm' },
      restricted: {
        provider: 'ollama',
        model: 'm',
        requirements: {
          age: { minimum: 'jurisdiction', level: 'enhanced', maxAgeDays: 365 },
          consent: [{ scope: 'adult-content', minVersion: '2.0.0' }],
        },
      },
    },
    jurisdictions: { '*': { minimumAge: 18 }, KR: { minimumAge: 19 }, XX: { deny: ['restricted'] } },
    rules: [
      { id: 'block-minors', description: 'd', stage: 'both', when: { score: 'sexual/minors', gte: 0.3 }, effect: { action: 'block', reason: 'minors' } },
      { id: 'adult', description: 'd', stage: 'input', when: { score: 'sexual', gte: 0.5 }, effect: { action: 'route', target: 'restricted', precedence: 90 }, warnings: ['adult'] },
      { id: 'pii', description: 'd', stage: 'input', when: { score: 'pii', gte: 0.5 }, effect: { action: 'route', target: 'private', precedence: 50 } },
      { id: 'redact', description: 'd', stage: 'output', when: { score: 'pii', gte: 0.5 }, effect: { action: 'redact', categories: ['pii'] } },
    ],
    defaults: { route: 'sfw', onClassifierError: 'block' },
    ...doc,
  };
  return validatePolicyObjectOrThrow(document);
}

const adult: SubjectContext = {
  id: 'u1',
  jurisdiction: 'GB',
  age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2026-10-01T00:00:00Z', expiresAt: '2027-10-01T00:00:00Z' },
  consents: [{ scope: 'adult-content', version: '2.0.0', state: 'given', at: '2026-10-01T00:00:00Z' }],
};

const P = policyOf({});

async function codes(subject: SubjectContext | undefined, policy = P): Promise<string[]> {
  const d = await decide({ scores: { sexual: 0.9 }, ...(subject ? { subject } : {}), now: NOW }, policy);
  return d.unmet.map((u) => u.code).sort();
}

describe('decide: combining', () => {
  it('routes nothing-matched requests to the default route', async () => {
    const d = await decide({ scores: { sexual: 0.1 }, now: NOW }, P);
    expect(d).toMatchObject({ outcome: 'route', target: 'sfw', determiningRules: [], matchedRules: [] });
    expect(d.effective).toEqual({ outcome: 'route', target: 'sfw' });
    expect(d.decisionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lets a block override every route', async () => {
    const d = await decide({ scores: { sexual: 0.9, 'sexual/minors': 0.9, pii: 1 }, subject: adult, now: NOW }, P);
    expect(d).toMatchObject({ outcome: 'block', reason: 'minors', determiningRules: ['block-minors'] });
    expect(d.target).toBeUndefined();
    expect(d.matchedRules).toEqual(['adult', 'block-minors', 'pii']);
  });

  it('takes the route with the highest precedence, whatever the rule order', async () => {
    const input = { scores: { sexual: 0.9, pii: 1 }, subject: adult, now: NOW };
    const a = await decide(input, P);
    const reversed = policyOf({ rules: [...P.document.rules].reverse() });
    const b = await decide(input, reversed);
    expect(a.target).toBe('restricted');
    expect(b.target).toBe('restricted');
    expect(a.determiningRules).toEqual(b.determiningRules);
    expect(a.matchedRules).toEqual(b.matchedRules);
  });

  it('treats a score of 0 as a value, not as absent', async () => {
    const pol = policyOf({
      rules: [{ id: 'low', description: 'd', stage: 'input', when: { score: 'hate', lte: 0 }, effect: { action: 'route', target: 'private', precedence: 1 } }],
    });
    expect((await decide({ scores: { hate: 0 }, now: NOW }, pol)).target).toBe('private');
    expect((await decide({ scores: {}, now: NOW }, pol)).target).toBe('sfw');
  });

  it('adds content warnings from every matching rule', async () => {
    const d = await decide({ scores: { sexual: 0.9 }, subject: adult, now: NOW }, P);
    expect(d).toMatchObject({ outcome: 'route', target: 'restricted', warnings: ['adult'] });
    expect(d.subject?.age?.method).toBe('photo_id_match');
    expect(d.subject?.consents[0]).toMatchObject({ scope: 'adult-content', version: '2.0.0', state: 'given' });
  });
});

describe('decide: requirements', () => {
  it('meets every requirement for a verified, consenting adult', async () => {
    expect(await codes(adult)).toEqual([]);
  });
  it('requires an age verification', async () => {
    expect(await codes(undefined)).toEqual(['age_verification_required', 'consent_required']);
  });
  it('refuses an 18-year-old in a 19+ jurisdiction', async () => {
    expect(await codes({ ...adult, jurisdiction: 'KR' })).toEqual(['age_below_minimum']);
    expect(await codes({ ...adult, jurisdiction: 'KR', age: { ...adult.age!, over: 19 } })).toEqual([]);
  });
  it('never lets a self-declaration meet a level above asserted', async () => {
    expect(await codes({ ...adult, age: { ...adult.age!, method: 'self_declaration', level: 'strict' } })).toEqual(['age_assurance_insufficient']);
  });
  it('refuses insufficient assurance', async () => {
    expect(await codes({ ...adult, age: { ...adult.age!, level: 'standard' } })).toEqual(['age_assurance_insufficient']);
  });
  it('refuses an expired verification and one older than allowed', async () => {
    expect(await codes({ ...adult, age: { ...adult.age!, expiresAt: '2026-11-01T00:00:00Z' } })).toEqual(['age_verification_expired']);
    expect(await codes({ ...adult, age: { ...adult.age!, verifiedAt: '2025-10-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z' } })).toEqual([
      'age_verification_expired',
    ]);
  });
  it('refuses a verification time in the future', async () => {
    expect(await codes({ ...adult, age: { ...adult.age!, verifiedAt: '2027-01-01T00:00:00Z' } })).toEqual(['age_verification_invalid']);
  });
  it('reports a rejected attestation more precisely than a missing one', async () => {
    const s: SubjectContext = { ...adult, rejectedAttestations: [{ reason: 'expired' }] };
    delete s.age;
    expect(await codes(s)).toEqual(['age_verification_expired']);
  });
  it('judges consent as of the decision time: a withdrawal one millisecond earlier counts', async () => {
    const s: SubjectContext = {
      ...adult,
      consents: [...adult.consents!, { scope: 'adult-content', version: '2.0.0', state: 'withdrawn', at: '2026-11-28T11:59:59.999Z' }],
    };
    expect(await codes(s)).toEqual(['consent_withdrawn']);
    const later: SubjectContext = {
      ...adult,
      consents: [...adult.consents!, { scope: 'adult-content', version: '2.0.0', state: 'withdrawn', at: '2026-11-28T12:00:00.001Z' }],
    };
    expect(await codes(later)).toEqual([]);
  });
  it('does not let a reaffirmation revive a withdrawn consent', async () => {
    const s: SubjectContext = {
      ...adult,
      consents: [
        ...adult.consents!,
        { scope: 'adult-content', version: '2.0.0', state: 'withdrawn', at: '2026-11-01T00:00:00Z' },
        { scope: 'adult-content', version: '2.0.0', state: 'reaffirmed', at: '2026-11-02T00:00:00Z' },
      ],
    };
    expect(await codes(s)).toEqual(['consent_withdrawn']);
  });
  it('lets a withdrawal win over a grant in the same millisecond', async () => {
    const at = '2026-11-01T00:00:00Z';
    const s: SubjectContext = {
      ...adult,
      consents: [
        { scope: 'adult-content', version: '2.0.0', state: 'withdrawn', at },
        { scope: 'adult-content', version: '2.0.0', state: 'given', at },
      ],
    };
    expect(await codes(s)).toEqual(['consent_withdrawn']);
  });
  it('needs fresh consent after a version bump', async () => {
    expect(await codes({ ...adult, consents: [{ scope: 'adult-content', version: '1.9.0', state: 'given', at: '2026-10-01T00:00:00Z' }] })).toEqual([
      'consent_outdated',
    ]);
  });
  it('treats consent past its validity as expired', async () => {
    expect(
      await codes({ ...adult, consents: [{ scope: 'adult-content', version: '2.0.0', state: 'given', at: '2026-10-01T00:00:00Z', expiresAt: '2026-11-01T00:00:00Z' }] }),
    ).toEqual(['consent_expired']);
  });
  it('denies restricted content where the jurisdiction does', async () => {
    expect(await codes({ ...adult, jurisdiction: 'XX' })).toEqual(['jurisdiction_restricted']);
  });
  it('uses the * row for a region the table does not list and records it', async () => {
    const d = await decide({ scores: { sexual: 0.9 }, subject: { ...adult, jurisdiction: 'FR' }, now: NOW }, P);
    expect(d.outcome).toBe('route');
    expect(d.subject?.jurisdiction).toEqual({ code: 'FR', row: '*', source: 'declared' });
  });
  it('uses the strictest of every row for a code that is no region, and records why', async () => {
    const d = await decide({ scores: { sexual: 0.9 }, subject: { ...adult, jurisdiction: 'ZZ' }, now: NOW }, P);
    expect(d.outcome).toBe('block');
    expect(d.unmet.map((u) => u.code).sort()).toEqual(['age_below_minimum', 'jurisdiction_restricted']);
    expect(d.subject?.jurisdiction).toEqual({
      code: 'ZZ',
      row: 'strictest',
      source: 'unknown',
      unresolved: { reason: 'unknown', applied: 'strictest', rows: ['*', 'KR', 'XX'] },
    });
  });
  it('merges rule requirements with the target strictest-wins', async () => {
    const rules = P.document.rules.map((r) =>
      r.id === 'adult' ? { ...r, effect: { action: 'route' as const, target: 'restricted', precedence: 90, requires: { age: { minimum: 21 } } } } : r,
    );
    const pol = policyOf({ rules });
    expect(await codes(adult, pol)).toEqual(['age_below_minimum']);
  });
  it('falls back to another target when the target says so, and keeps the unmet codes', async () => {
    const pol = policyOf({
      targets: { ...P.document.targets, restricted: { ...P.document.targets.restricted!, onUnmet: { action: 'fallback', target: 'sfw' } } },
    });
    const d = await decide({ scores: { sexual: 0.9 }, now: NOW }, pol);
    expect(d).toMatchObject({ outcome: 'route', target: 'sfw' });
    expect(d.unmet.map((u) => u.code)).toContain('age_verification_required');
  });
  it('blocks with the unmet codes by default', async () => {
    const d = await decide({ scores: { sexual: 0.9 }, now: NOW }, P);
    expect(d).toMatchObject({ outcome: 'block', reason: 'unmet_requirements', determiningRules: ['adult'] });
    expect(d.message).toBeTruthy();
  });
});

describe('decide: review regressions (never less strict)', () => {
  it('keeps the requirements of rules routing to a fallback target', async () => {
    const pol = policyOf({
      targets: {
        ...P.document.targets,
        restricted: { ...P.document.targets.restricted!, onUnmet: { action: 'fallback', target: 'private' } },
      },
      rules: P.document.rules.map((r) =>
        r.id === 'pii'
          ? { ...r, effect: { action: 'route' as const, target: 'private', precedence: 50, requires: { consent: [{ scope: 'private-processing', minVersion: '1.0.0' }] } } }
          : r,
      ),
    });
    const alone = await decide({ scores: { pii: 0.9 }, now: NOW }, pol);
    expect(alone.unmet.map((u) => u.code)).toEqual(['consent_required']);
    const both = await decide({ scores: { pii: 0.9, sexual: 0.9 }, now: NOW }, pol);
    expect(both.outcome).toBe('block');
    expect(both.unmet.map((u) => u.code)).toContain('consent_required');
  });

  it('never lets an explicit `asserted` lower the implied `standard` level', async () => {
    const selfDeclared: SubjectContext = { ...adult, age: { ...adult.age!, over: 21, method: 'self_declaration', level: 'asserted' } };
    const targets = { ...P.document.targets, restricted: { provider: 'ollama' as const, model: 'm', requirements: { age: { minimum: 18 } } } };
    const viaRule = policyOf({
      targets,
      rules: P.document.rules.map((r) =>
        r.id === 'adult' ? { ...r, effect: { action: 'route' as const, target: 'restricted', precedence: 90, requires: { age: { minimum: 18, level: 'asserted' as const } } } } : r,
      ),
    });
    const viaJurisdiction = policyOf({ targets, jurisdictions: { '*': { minimumAge: 18, level: 'asserted' } } });
    for (const pol of [viaRule, viaJurisdiction]) {
      const d = await decide({ scores: { sexual: 0.9 }, subject: selfDeclared, now: NOW }, pol);
      expect(d.unmet.map((u) => u.code)).toEqual(['age_assurance_insufficient']);
    }
  });

  it('treats a failed blocklist matcher as matching every list under strictest', async () => {
    const pol = policyOf({
      defaults: { route: 'sfw', onClassifierError: 'strictest' },
      blocklists: [{ id: 'competitors', terms: ['globex'] }],
      rules: [{ id: 'no-competitors', description: 'd', stage: 'input', when: { blocklist: 'competitors' }, effect: { action: 'block', reason: 'competitor' } }],
    });
    const failingList: Classifier = {
      id: 'lexicon',
      version: '1',
      categories: [],
      classify: async () => ({ status: 'failed', error: { code: 'aborted', message: 'aborted' }, latencyMs: 0 }),
    };
    const d = await decide({ text: 'tell me about globex', now: NOW }, pol, { classifiers: [], blocklist: failingList });
    expect(d).toMatchObject({ outcome: 'block', reason: 'competitor' });
  });
});

describe('decide: classifiers, modes and stages', () => {
  const failing: Classifier = {
    id: 'f',
    version: '1',
    categories: ['sexual/minors', 'sexual'],
    classify: async () => ({ status: 'failed', error: { code: 'timeout', message: 'slow' }, latencyMs: 1 }),
  };
  const throwing: Classifier = { ...failing, id: 't', classify: async () => { throw new Error('boom'); } };

  it('blocks on a classifier failure by default', async () => {
    const d = await decide({ text: 'hello', now: NOW }, P, { classifiers: [failing] });
    expect(d).toMatchObject({ outcome: 'block', reason: 'classifier_error', determiningRules: ['defaults.onClassifierError'] });
    expect(d.classifierErrors).toEqual([{ classifier: 'f', code: 'timeout', message: 'slow' }]);
  });
  it('treats a throwing classifier as failed, never as clean', async () => {
    const d = await decide({ text: 'hello', now: NOW }, P, { classifiers: [throwing] });
    expect(d.outcome).toBe('block');
    expect(d.classifierErrors[0]?.code).toBe('classifier_threw');
  });
  it('raises failed categories to 1 under onClassifierError: strictest', async () => {
    const pol = policyOf({ defaults: { route: 'sfw', onClassifierError: 'strictest' } });
    const d = await decide({ text: 'hello', subject: adult, now: NOW }, pol, { classifiers: [failing] });
    expect(d).toMatchObject({ outcome: 'block', reason: 'minors' });
    expect(d.scores['sexual/minors']).toBe(1);
  });
  it('reports the verdict in monitor mode but routes to the default', async () => {
    const pol = policyOf({ mode: 'monitor' });
    const d = await decide({ scores: { 'sexual/minors': 1 }, now: NOW }, pol);
    expect(d).toMatchObject({ outcome: 'block', mode: 'monitor', effective: { outcome: 'route', target: 'sfw' } });
  });
  it('never applies input-only rules at the output stage, and redacts there', async () => {
    const d = await decide({ stage: 'output', scores: { sexual: 0.9, pii: 1 }, servedTarget: 'sfw', now: NOW }, P);
    expect(d).toMatchObject({ outcome: 'route', target: 'sfw', redact: ['pii'], matchedRules: ['redact'] });
  });
  it('explains every rule in the trace', async () => {
    const d = await decide({ scores: { sexual: 0.9 }, subject: adult, now: NOW }, P, { trace: true });
    const byRule = Object.fromEntries((d.trace ?? []).map((t) => [t.rule, t]));
    expect(byRule['adult']).toMatchObject({ matched: true, conditions: [{ condition: 'score `sexual` >= 0.5', observed: '0.900', result: true }] });
    expect(byRule['block-minors']?.conditions[0]).toMatchObject({ observed: 'unknown (not scored)', result: false });
    expect(byRule['redact']).toMatchObject({ skipped: 'stage', matched: false });
  });
  it('rejects scores outside [0, 1] and unknown categories', async () => {
    await expect(decide({ scores: { sexual: 1.5 }, now: NOW }, P)).rejects.toMatchObject({ code: 'input_invalid' });
    await expect(decide({ scores: { nope: 0.5 } as never, now: NOW }, P)).rejects.toMatchObject({ code: 'input_invalid' });
  });
  it('evaluates subject and request conditions', async () => {
    const pol = policyOf({
      rules: [
        {
          id: 'tenant-kr',
          description: 'd',
          stage: 'input',
          when: { all: [{ request: 'tenant', equals: 'acme' }, { subject: 'jurisdiction', in: ['KR'] }, { not: { request: 'metadata.beta', equals: true } }] },
          effect: { action: 'route', target: 'private', precedence: 1 },
        },
      ],
    });
    const hit = await decide({ scores: {}, subject: { jurisdiction: 'KR' }, request: { tenant: 'acme' }, now: NOW }, pol);
    expect(hit.target).toBe('private');
    const miss = await decide({ scores: {}, subject: { jurisdiction: 'KR' }, request: { tenant: 'acme', metadata: { beta: true } }, now: NOW }, pol);
    expect(miss.target).toBe('sfw');
  });
  it('lets an output rule test the served target, which only the engine sets', async () => {
    const pol = policyOf({
      rules: [
        {
          id: 'adult-output-only-from-restricted',
          description: 'd',
          stage: 'output',
          when: { all: [{ score: 'sexual', gte: 0.5 }, { not: { request: 'servedTarget', equals: 'restricted' } }] },
          effect: { action: 'block', reason: 'not_cleared' },
        },
      ],
    });
    const out = (servedTarget: string | undefined, request: Record<string, unknown> = {}) =>
      decide({ scores: { sexual: 0.9 }, stage: 'output', ...(servedTarget ? { servedTarget } : {}), request, now: NOW }, pol);
    expect((await out('sfw')).outcome).toBe('block');
    expect((await out('restricted')).outcome).toBe('route');
    // Unknown served target: the rule cannot see `restricted`, so it blocks (fail closed).
    expect((await out(undefined)).outcome).toBe('block');
    // A caller's request attributes never stand in for the served target.
    expect((await out('sfw', { servedTarget: 'restricted' })).outcome).toBe('block');
    const trace = (await decide({ scores: { sexual: 0.9 }, stage: 'output', servedTarget: 'sfw', now: NOW }, pol, { trace: true })).trace;
    expect(trace?.[0]?.conditions[1]).toMatchObject({ condition: 'not (request `servedTarget` = "restricted")', observed: '"sfw"' });
  });

  it('hands the output stage\'s preceding text to the classifiers, and the embedded one counts it', async () => {
    const seen: unknown[] = [];
    const recorder: Classifier = {
      id: 'r',
      version: '1',
      categories: [],
      classify: async (input) => {
        seen.push(input.context);
        return { status: 'ok', scores: {}, latencyMs: 0 };
      },
    };
    await decide({ text: 'b', stage: 'output', prompt: 'q', preceding: 'a', now: NOW }, P, { classifiers: [recorder] });
    await decide({ text: 'b', stage: 'input', preceding: 'a', now: NOW }, P, { classifiers: [recorder] });
    expect(seen).toEqual([{ prompt: 'q', preceding: 'a' }, undefined]);

    const embedded = [getDefaultEmbeddedClassifier()];
    const later = 'That night they had sex in the back room.';
    const earlier = 'The girl in this story is twelve years old. She lives with her aunt by the sea. ';
    const alone = await decide({ text: later, stage: 'output', servedTarget: 'restricted', subject: adult, now: NOW }, P, { classifiers: embedded });
    const streamed = await decide(
      { text: later, stage: 'output', servedTarget: 'restricted', subject: adult, preceding: earlier, now: NOW },
      P,
      { classifiers: embedded },
    );
    expect(alone.outcome).toBe('route');
    expect(streamed).toMatchObject({ outcome: 'block', reason: 'minors' });
  });
});
