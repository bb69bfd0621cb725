import { performance } from 'node:perf_hooks';
import { beforeAll, afterEach, describe, expect, it } from 'vitest';
import { isCategory } from '../taxonomy/categories.js';
import type { Classifier, ClassifierInput, ClassifierOutcome } from './classifier.js';

/** A scripted way to make a (remote) classifier fail, and the error code it must then report. */
export interface ContractFailureScenario {
  name: string;
  /** Scripts the failure, e.g. makes the fake server answer 429. */
  arrange: () => void | Promise<void>;
  /** The code the outcome must carry (any of several when the timing decides). */
  expectCode: string | readonly string[];
  input?: ClassifierInput;
}

export interface ClassifierContractOptions {
  /** What a plain benign text must give: `ok` (default), or `any` for a classifier set up to fail. */
  benign?: 'ok' | 'any';
  /** Same input, same scores (default true). */
  deterministic?: boolean;
  /** Upper bound of one call, in milliseconds (default 5 000). */
  maxCallMs?: number;
  /** Makes calls slow (for remote classifiers: script the fake server) so an abort lands mid-flight. */
  slow?: () => void | Promise<void>;
  /** Restores normal behaviour after every test (e.g. `server.reset()`). */
  reset?: () => void | Promise<void>;
  failures?: readonly ContractFailureScenario[];
  /** Skips the suite, saying why (e.g. a model file that is not built yet); shown in the title. */
  skip?: string;
}

const LONG_TEXT = 'The committee met on Tuesday to review the quarterly budget and the hiring plan. '.repeat(250);

/** Inputs every classifier must survive: each must resolve to a well-formed outcome. */
export const CONTRACT_INPUTS: ReadonlyArray<readonly [string, ClassifierInput]> = [
  ['benign text', { text: 'What is the capital of France?', stage: 'input' }],
  ['empty text', { text: '', stage: 'input' }],
  ['whitespace only', { text: ' \n\t \u00a0\u3000 ', stage: 'input' }],
  ['lone surrogates', { text: 'broken \ud800 text \udfff end \ud83d', stage: 'input' }],
  ['emoji and joiners', { text: '👩‍👩‍👧‍👦 🏳️‍🌈 e\u0301 ﬁ ｆｕｌｌ', stage: 'input' }],
  ['right-to-left and combining marks', { text: 'مرحبا بالعالم \u202e txet desrever \u202c Z̴̡̛a̷l̶g̸o̵', stage: 'input' }],
  ['control characters', { text: 'nul\u0000bell\u0007esc\u001b[31m del\u007f', stage: 'input' }],
  ['about 20 KB of text', { text: LONG_TEXT, stage: 'input' }],
  ['output stage with its prompt', { text: 'Paris is the capital of France.', stage: 'output', context: { prompt: 'What is the capital of France?' } }],
  ['output stage without context', { text: 'Here is the answer you asked for.', stage: 'output' }],
];

/**
 * Asserts the `Classifier` contract: never throws (on any input, abort or upstream failure),
 * scores only declared categories within [0, 1], reports latency, honours an aborted signal,
 * keeps a stable id and version. `makeClassifier` runs once, in a `beforeAll` of this suite,
 * after the caller's own `beforeAll` hooks (start fake servers there).
 */
export function describeClassifierContract(
  name: string,
  makeClassifier: () => Classifier | Promise<Classifier>,
  options: ClassifierContractOptions = {},
): void {
  const maxCallMs = options.maxCallMs ?? 5_000;

  const suite = options.skip ? describe.skip : describe;
  suite(`classifier contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let classifier: Classifier;

    beforeAll(async () => {
      classifier = await makeClassifier();
    });

    afterEach(async () => {
      await options.reset?.();
    });

    const run = async (input: ClassifierInput, signal?: AbortSignal): Promise<{ outcome: ClassifierOutcome; wallMs: number }> => {
      const started = performance.now();
      const outcome = await classifier.classify(input, signal ? { signal } : undefined);
      const wallMs = performance.now() - started;
      expectWellFormedOutcome(classifier, input, outcome);
      expect(wallMs).toBeLessThan(maxCallMs);
      return { outcome, wallMs };
    };

    it('has a stable, non-empty id and version', async () => {
      const { id, version } = classifier;
      expect(typeof id).toBe('string');
      expect(id.trim()).not.toBe('');
      expect(typeof version).toBe('string');
      expect(version.trim()).not.toBe('');
      await run({ text: 'hello', stage: 'input' });
      expect(classifier.id).toBe(id);
      expect(classifier.version).toBe(version);
    });

    it('declares canonical categories, each once', () => {
      expect(classifier.categories.length).toBeGreaterThan(0);
      for (const c of classifier.categories) expect(isCategory(c), `\`${c}\` is not a canonical category`).toBe(true);
      expect(new Set(classifier.categories).size).toBe(classifier.categories.length);
    });

    it.each(CONTRACT_INPUTS.map(([label, input]) => ({ label, input })))(
      'resolves a well-formed outcome for $label',
      async ({ input }) => {
        await run(input);
      },
    );

    it('classifies benign text', async () => {
      const { outcome } = await run({ text: 'Can you suggest a recipe for a vegetable soup?', stage: 'input' });
      if (options.benign !== 'any') expect(outcome.status, JSON.stringify(outcome)).toBe('ok');
    });

    it('reports its latency', async () => {
      const { outcome, wallMs } = await run({ text: 'How do I reset my password?', stage: 'input' });
      expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
      expect(outcome.latencyMs).toBeLessThanOrEqual(wallMs + 1);
    });

    it('honours an already-aborted signal', async () => {
      const controller = new AbortController();
      controller.abort();
      const { outcome } = await run({ text: 'What is the capital of France?', stage: 'input' }, controller.signal);
      expect(outcome.status).toBe('failed');
      if (outcome.status === 'failed') expect(outcome.error.code).toBe('aborted');
    });

    it('resolves promptly when aborted mid-flight', async () => {
      await options.slow?.();
      const controller = new AbortController();
      const pending = run({ text: 'Tell me about the history of Rome.', stage: 'input' }, controller.signal);
      setTimeout(() => controller.abort(), 20);
      const { outcome, wallMs } = await pending;
      if (options.slow) {
        expect(outcome.status).toBe('failed');
        if (outcome.status === 'failed') expect(outcome.error.code).toBe('aborted');
        expect(wallMs).toBeLessThan(1_000);
      }
    });

    it('handles concurrent calls, consistently', async () => {
      const texts = Array.from({ length: 16 }, (_, i) => `Question number ${i % 4}: how do plants grow?`);
      const results = await Promise.all(texts.map((text) => run({ text, stage: 'input' })));
      if (options.deterministic === false) return;
      const byText = new Map<string, ClassifierOutcome>();
      results.forEach(({ outcome }, i) => {
        const text = texts[i] as string;
        const first = byText.get(text);
        if (!first) byText.set(text, outcome);
        else if (first.status === 'ok' && outcome.status === 'ok') expect(outcome.scores).toEqual(first.scores);
      });
    });

    for (const scenario of options.failures ?? []) {
      it(`fails as a value when ${scenario.name}`, async () => {
        await scenario.arrange();
        const { outcome } = await run(scenario.input ?? { text: 'What is the capital of France?', stage: 'input' });
        expect(outcome.status, JSON.stringify(outcome)).toBe('failed');
        const codes = typeof scenario.expectCode === 'string' ? [scenario.expectCode] : scenario.expectCode;
        if (outcome.status === 'failed') expect(codes).toContain(outcome.error.code);
      });
    }
  });
}

/** The shape rules every outcome obeys, whatever its status. */
export function expectWellFormedOutcome(classifier: Classifier, input: ClassifierInput, outcome: ClassifierOutcome): void {
  expect(outcome, 'classify resolved nothing').toBeTypeOf('object');
  expect(['ok', 'failed']).toContain(outcome.status);
  expect(Number.isFinite(outcome.latencyMs), `latencyMs \`${outcome.latencyMs}\``).toBe(true);
  expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
  if (outcome.status === 'failed') {
    expect(outcome.error.code).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(typeof outcome.error.message).toBe('string');
    return;
  }
  const declared = new Set<string>(classifier.categories);
  for (const [category, score] of Object.entries(outcome.scores)) {
    expect(declared.has(category), `score for undeclared category \`${category}\``).toBe(true);
    expect(typeof score === 'number' && score >= 0 && score <= 1, `score of \`${category}\` is \`${score}\``).toBe(true);
  }
  for (const e of outcome.evidence ?? []) {
    expect(isCategory(e.category), `evidence category \`${e.category}\``).toBe(true);
    expect(Number.isInteger(e.start) && Number.isInteger(e.end)).toBe(true);
    expect(e.start).toBeGreaterThanOrEqual(0);
    expect(e.end).toBeGreaterThanOrEqual(e.start);
    expect(e.end).toBeLessThanOrEqual(input.text.length);
    expect(typeof e.match).toBe('string');
    expect(typeof e.source).toBe('string');
  }
  for (const c of outcome.verdictOnly ?? []) expect(declared.has(c), `verdictOnly \`${c}\` undeclared`).toBe(true);
  for (const c of Object.keys(outcome.decidedBy ?? {})) expect(declared.has(c), `decidedBy \`${c}\` undeclared`).toBe(true);
}
