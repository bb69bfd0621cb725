import type { Classifier, ClassifierInput, Evidence } from '../../src/classifiers/classifier.js';
import { createPiiClassifier } from '../../src/classifiers/pii/index.js';
import type { ClassifierResolver } from '../../src/decision/policy-runtime.js';
import type { EvaluablePolicy } from '../../src/policy/evaluate-policy.js';
import { validatePolicyObjectOrThrow } from '../../src/policy/load-policy.js';
import type { PolicyDocument } from '../../src/policy/policy-schema.js';
import type { SubjectContext } from '../../src/subjects/subject-context.js';
import type { Category } from '../../src/taxonomy/categories.js';
import { createSeededRandom } from '../../src/util/seeded-random.js';

/**
 * A deterministic classifier for guard tests: `FORBIDDEN` scores `sexual/minors` (blocked at both
 * stages), `[[adult]]` scores `sexual` (routes to restricted), `[[slur]]` scores `hate`
 * (redacted at the output stage in some policies). Each occurrence is evidence. Every input it
 * saw is kept in `seen`.
 */
export function createMarkerClassifier(): Classifier & { seen: ClassifierInput[] } {
  const markers: [string, Category][] = [
    ['FORBIDDEN', 'sexual/minors'],
    ['[[adult]]', 'sexual'],
    ['[[slur]]', 'hate'],
  ];
  const seen: ClassifierInput[] = [];
  return {
    id: 'marker',
    version: '1',
    categories: ['sexual/minors', 'sexual', 'hate'],
    seen,
    async classify(input) {
      seen.push(input);
      const scores: Partial<Record<Category, number>> = { 'sexual/minors': 0, sexual: 0, hate: 0 };
      const evidence: Evidence[] = [];
      for (const [marker, category] of markers) {
        for (let i = input.text.indexOf(marker); i >= 0; i = input.text.indexOf(marker, i + 1)) {
          scores[category] = 1;
          evidence.push({ category, start: i, end: i + marker.length, match: marker, source: 'marker' });
        }
      }
      return { status: 'ok', scores, evidence, latencyMs: 0 };
    },
  };
}

export function resolverOf(classifiers: Record<string, Classifier>): ClassifierResolver {
  return {
    get(name) {
      const c = classifiers[name];
      if (!c) throw new Error(`no classifier ${name}`);
      return c;
    },
  };
}

export interface Upstreams {
  openaiBaseURL: string;
  ollamaHost: string;
}

export const OPENAI_KEY_ENV = 'SAFEROUTE_TEST_OPENAI_KEY';

export function testPolicy(up: Upstreams, overrides: Partial<PolicyDocument> = {}): EvaluablePolicy {
  const document: PolicyDocument = {
    id: 'guard-test',
    revision: '1',
    classifiers: { input: ['marker', 'pii'], output: ['marker', 'pii'] },
    targets: {
      sfw: { provider: 'openai', model: 'gpt-4o-mini', baseURL: up.openaiBaseURL, apiKeyEnv: OPENAI_KEY_ENV },
      restricted: {
        provider: 'ollama',
        model: 'llama3.1:8b',
        baseURL: up.ollamaHost,
        requirements: { age: { minimum: 18, level: 'enhanced' }, consent: [{ scope: 'adult-content', minVersion: '1.0.0' }] },
      },
      private: { provider: 'ollama', model: 'llama3.1:8b', baseURL: up.ollamaHost },
    },
    jurisdictions: { '*': { minimumAge: 18 } },
    rules: [
      { id: 'block-minors', description: 'd', stage: 'both', when: { score: 'sexual/minors', gte: 0.5 }, effect: { action: 'block', reason: 'sexual_minors', message: 'prohibited' } },
      { id: 'adult', description: 'd', stage: 'input', when: { score: 'sexual', gte: 0.5 }, effect: { action: 'route', target: 'restricted', precedence: 90 }, warnings: ['adult-content'] },
      { id: 'pii-private', description: 'd', stage: 'input', when: { score: 'pii', gte: 0.5 }, effect: { action: 'route', target: 'private', precedence: 50 }, warnings: ['personal-data'] },
      { id: 'images-private', description: 'd', stage: 'input', when: { request: 'hasImages', equals: true }, effect: { action: 'route', target: 'private', precedence: 40 } },
      { id: 'redact-pii', description: 'd', stage: 'output', when: { score: 'pii', gte: 0.5 }, effect: { action: 'redact', categories: ['pii'] } },
    ],
    defaults: { route: 'sfw', onClassifierError: 'block' },
    output: { onBlock: 'refuse', streaming: { mode: 'hold-back', holdBackChars: 24, checkEveryChars: 16 } },
    messages: { prohibited: 'This request cannot be processed.' },
    ...overrides,
  };
  return validatePolicyObjectOrThrow(document, { classifiers: TEST_CLASSIFIERS });
}

/** The test classifiers policies in these tests may name, with what each scores. */
export const TEST_CLASSIFIERS: Readonly<Record<string, readonly Category[]>> = {
  marker: ['sexual/minors', 'sexual', 'hate'],
  failing: ['sexual/minors'],
};

export const NOW = new Date('2026-11-28T12:00:00Z');

export const ADULT: SubjectContext = {
  id: 'subject-1',
  jurisdiction: 'GB',
  age: { over: 18, method: 'photo_id_match', level: 'enhanced', verifiedAt: '2026-10-01T00:00:00Z', expiresAt: '2027-10-01T00:00:00Z' },
  consents: [{ scope: 'adult-content', version: '1.0.0', state: 'given', at: '2026-10-01T00:00:00Z' }],
};

export function defaultClassifiers(): { marker: ReturnType<typeof createMarkerClassifier>; resolver: ClassifierResolver } {
  const marker = createMarkerClassifier();
  return { marker, resolver: resolverOf({ marker, pii: createPiiClassifier() }) };
}

/** Everything a caller received from a guarded stream, as text. */
export function contentOf(chunks: readonly { choices: { delta: { content?: string | null } }[] }[]): string {
  return chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
}

/** A small deterministic PRNG for reproducible random chunkings. */
export const prng = createSeededRandom;
