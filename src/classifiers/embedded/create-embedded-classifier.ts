import { createHash } from 'node:crypto';
import type { Category, Scores } from '../../taxonomy/categories.js';
import type { Classifier, ClassifierInput, ClassifierErrorCode, ClassifierOutcome, Evidence } from '../classifier.js';
import { applyAttackDetectors, defaultAttackDetectors, type AttackDetector } from '../attacks/index.js';
import { withDecodedObfuscation } from '../decorators/with-decoded-obfuscation.js';
import { failedOutcome } from '../failed-outcome.js';
import { getDefaultLexiconClassifier, type LexiconClassifier } from '../lexicon/index.js';
import { createLinearClassifier, createPairedLinearScorer, type LinearClassifier } from '../linear/index.js';
import { createPiiClassifier, type PiiClassifier } from '../pii/index.js';
import { closingInstruction } from './closing-instruction.js';
import { combineEmbeddedScores, compileEmbeddedCombiner, withOutputStageUnsafe, type EmbeddedCombiner } from './embedded-combiner.js';
import { loadEmbeddedCombiner } from './load-embedded-combiner.js';
import { loadOutputStageModel } from './load-output-stage-model.js';

export interface EmbeddedClassifierOptions {
  /** Default: the shipped lexicons (`getDefaultLexiconClassifier()`). */
  lexicon?: Classifier;
  /** Default: the committed linear model. */
  linear?: Classifier;
  /** Default: the PII detector; `false` leaves `pii` unscored. */
  pii?: Classifier | false;
  /**
   * How lexicon and linear scores are combined per category: stacked coefficients (default:
   * the ones committed beside the model) or `max`.
   */
  combiner?: EmbeddedCombiner | 'max';
  /**
   * Scores `unsafe` at the output stage (did the answer comply with a harmful request?), in place
   * of the input model's head. Default: the committed output-stage model
   * (classifiers/models/output.manifest.json); `false`: the input model's `unsafe` at both stages.
   */
  output?: Classifier | false;
  /**
   * Rule-based attack detectors (src/classifiers/attacks) whose findings raise `jailbreak` at the
   * input stage, each with an evidence span from `attack:<id>`. Default: `defaultAttackDetectors()`
   * (adversarial suffixes, injected instructions in pasted content); `false` or `[]`: none.
   * They run only when a part scores `jailbreak` (the shipped linear model and lexicon do).
   */
  attacks?: readonly AttackDetector[] | false;
  /**
   * Also classify what the text says once its obfuscation is undone (base64, hex, percent-encoding,
   * entities, escapes, Unicode tag characters, ROT13 or reversed text when asked for): see
   * `withDecodedObfuscation`. Default `true`; `false` classifies the text only as written.
   */
  decode?: boolean;
  /**
   * At the input stage, raise `unsafe` to the score of the text's closing instruction alone: the
   * last paragraph after a longer pasted document (see closingInstruction). Default: true.
   */
  closingInstruction?: boolean;
}

/**
 * The default classifier: lexicon + linear model (+ PII), no network, microseconds per text.
 *
 * Where both parts score a category, the result is σ(a·logit(linear) + b·lexicon + c) with
 * a, b ≥ 0, fitted by the training script on out-of-fold scores. Measured against the plain
 * maximum, a noisy-OR and a mean, it gave the best out-of-fold AUPRC at an equal or lower
 * false-positive rate on benign sets (the figures are in classifiers/models/embedded.combiner.json).
 * Categories the combiner has no coefficients for keep the maximum of the two parts: by design
 * `sexual/minors`, where a confident "no" from the linear head must not veto a lexicon hit.
 * Evidence comes from the lexicon and PII parts.
 *
 * At the output stage, `unsafe` comes from a model trained on model answers (GPTFuzz's labelled
 * answers to harmful questions, and harmless helpful answers): a refusal names the same harm as
 * compliance, and the input model's `unsafe` head ranked them at 0.64 AUPRC out of sample, the
 * output-stage model at 0.95 out of fold. It is then raised to the highest harm score, as at
 * the input stage.
 *
 * If any part fails, the whole outcome fails: returning the other parts' scores would make the
 * failed part's categories look scored and lower than they may be, which is not fail-closed.
 */
interface SyncCore {
  /** Returns a fresh scores object and evidence array per call (the combiner writes into them). */
  lexicon: (text: string, preceding?: string) => { scores: Scores; evidence: Evidence[] };
  /** Probabilities in the order of `heads`; a view overwritten by the next call. */
  linear: (text: string) => Float64Array;
  heads: readonly Category[];
  pii?: (text: string) => { scores: Scores; evidence: Evidence[] };
  /** The output-stage model's `unsafe` probability. */
  output?: (text: string) => number;
  /**
   * `linear` and `output` from one pass over the text's features: the heads' probabilities,
   * then the output-stage `unsafe` (a view overwritten by the next call).
   */
  linearAndOutput?: (text: string) => Float64Array;
}

/** The parts' synchronous cores, when every part has one (the shipped ones do). */
function syncCoreOf(lexicon: Classifier, linear: Classifier, pii: Classifier | undefined, output: Classifier | undefined): SyncCore | undefined {
  const lex = lexicon as Partial<LexiconClassifier>;
  const lin = linear as Partial<LinearClassifier>;
  const pi = pii as Partial<PiiClassifier> | undefined;
  const out = output as Partial<LinearClassifier> | undefined;
  if (typeof lex.scan !== 'function' || typeof lin.probabilitiesSync !== 'function' || !lin.model) return undefined;
  if (pi && typeof pi.scan !== 'function') return undefined;
  if (out && (typeof out.probabilitiesSync !== 'function' || out.model?.heads[0]?.category !== 'unsafe')) return undefined;
  const core: SyncCore = {
    lexicon: lex.scan.bind(lexicon),
    linear: lin.probabilitiesSync.bind(linear),
    heads: lin.model.heads.map((h) => h.category),
  };
  if (pi?.scan) core.pii = pi.scan.bind(pii);
  if (out?.probabilitiesSync) {
    const probabilities = out.probabilitiesSync.bind(output);
    core.output = (text) => probabilities(text)[0]!;
  }
  return core;
}

/**
 * At the input stage `unsafe` is raised to the score of the text's closing instruction alone, when
 * it has one (see closingInstruction): a harmful request after a long pasted document.
 */
function raiseUnsafeTo(scores: Scores, instructionUnsafe: number | undefined): void {
  if (instructionUnsafe != null && instructionUnsafe > (scores.unsafe ?? 0)) scores.unsafe = instructionUnsafe;
}

function mergePii(scores: Scores, evidence: Evidence[], pii: { scores: Scores; evidence: Evidence[] }): void {
  for (const c in pii.scores) {
    const s = pii.scores[c as Category];
    const prev = scores[c as Category];
    if (s != null && (prev == null || s > prev)) scores[c as Category] = s;
  }
  for (const e of pii.evidence) evidence.push(e);
}

export function createEmbeddedClassifier(options: EmbeddedClassifierOptions = {}): Classifier {
  const lexicon = options.lexicon ?? getDefaultLexiconClassifier();
  const linear = options.linear ?? createLinearClassifier();
  const pii = options.pii === false ? undefined : (options.pii ?? createPiiClassifier());
  const combiner = options.combiner === 'max' ? undefined : (options.combiner ?? loadEmbeddedCombiner());
  const output = options.output === false ? undefined : (options.output ?? createLinearClassifier({ model: loadOutputStageModel() }));
  let attacks: readonly AttackDetector[] = options.attacks === false ? [] : (options.attacks ?? defaultAttackDetectors());
  const parts: Classifier[] = pii ? [lexicon, linear, pii] : [lexicon, linear];
  const sync = syncCoreOf(lexicon, linear, pii, output);
  // Both models were built here from model files, so nothing overrides how they score: the
  // output stage can score them from one pass over the text's features.
  if (sync?.output && options.linear == null && options.output == null) {
    const paired = createPairedLinearScorer((linear as LinearClassifier).model, (output as LinearClassifier).model);
    if (paired) sync.linearAndOutput = (text) => paired.probabilities(text);
  }
  const combineSync = sync ? compileEmbeddedCombiner(sync.heads, combiner) : undefined;
  const instructionOf = options.closingInstruction === false ? (): undefined => undefined : closingInstruction;

  const categories: Category[] = [];
  for (const p of parts) for (const c of p.categories) if (!categories.includes(c)) categories.push(c);
  // The detectors raise a score the parts give: without a `jailbreak` part they stay off, so the
  // category is not scored on some texts and unknown on others.
  if (!categories.includes('jailbreak')) attacks = [];
  const version = createHash('sha256')
    .update([...parts, ...(output ? [output] : [])].map((p) => `${p.id}@${p.version}`).join('+'))
    .update(combiner ? JSON.stringify(combiner.categories) : 'max')
    .update(attacks.map((a) => `+${a.id}@${a.version}`).join(''))
    .update(options.closingInstruction === false ? '' : '+closing-instruction')
    .digest('hex')
    .slice(0, 16);

  const embedded: Classifier = Object.freeze({
    id: 'embedded',
    version,
    categories: Object.freeze(categories),
    async classify(input: ClassifierInput, opts?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const started = performance.now();
      const failed = (code: ClassifierErrorCode, message: string): ClassifierOutcome => failedOutcome(code, message, started);
      if (opts?.signal?.aborted) return failed('aborted', 'classification aborted');
      if (sync) {
        // The shipped parts expose their synchronous cores: calling those skips three promises
        // per text, a measurable share of the whole cost.
        if (typeof input?.text !== 'string') return failed('input_invalid', 'input text must be a string');
        try {
          const preceding = input.context?.preceding;
          const lex = sync.lexicon(input.text, typeof preceding === 'string' ? preceding : undefined);
          const outputStage = sync.output != null && input.stage === 'output';
          let probabilities: Float64Array;
          let outputUnsafe = 0;
          if (outputStage && sync.linearAndOutput) {
            probabilities = sync.linearAndOutput(input.text);
            outputUnsafe = probabilities[sync.heads.length]!;
          } else {
            probabilities = sync.linear(input.text);
            if (outputStage) outputUnsafe = sync.output!(input.text);
          }
          const scores = combineSync!(probabilities, lex.scores);
          if (outputStage) withOutputStageUnsafe(scores, outputUnsafe);
          else {
            const instruction = instructionOf(input.text);
            if (instruction != null) raiseUnsafeTo(scores, combineSync!(sync.linear(instruction), sync.lexicon(instruction).scores).unsafe);
          }
          const evidence = lex.evidence;
          if (attacks.length > 0 && input.stage !== 'output') applyAttackDetectors(attacks, input.text, scores, evidence);
          if (sync.pii) mergePii(scores, evidence, sync.pii(input.text));
          return { status: 'ok', scores, evidence, latencyMs: performance.now() - started };
        } catch (cause) {
          return failed('internal_error', `embedded classification failed: ${(cause as Error)?.message ?? String(cause)}`);
        }
      }
      let outcomes: ClassifierOutcome[];
      const outputStage = output != null && input?.stage === 'output';
      try {
        outcomes = await Promise.all([...parts, ...(outputStage ? [output] : [])].map((p) => p.classify(input, opts)));
      } catch (cause) {
        // Parts must not throw; if one does anyway, it is still a failure, not a crash.
        return failed('internal_error', `embedded part threw: ${(cause as Error)?.message ?? String(cause)}`);
      }
      for (let i = 0; i < outcomes.length; i++) {
        const o = outcomes[i]!;
        if (o.status === 'failed') return failed(o.error.code, `${(i < parts.length ? parts[i]! : output!).id}: ${o.error.message}`);
      }
      const ok = outcomes as Array<Extract<ClassifierOutcome, { status: 'ok' }>>;
      const [lex, lin] = ok;
      const pi = pii ? ok[2] : undefined;
      const out = outputStage ? ok[ok.length - 1] : undefined;
      let scores: Scores;
      try {
        scores = combineEmbeddedScores(lin!.scores, lex!.scores, combiner);
        if (out) {
          const u = out.scores.unsafe;
          if (u == null) return failed('internal_error', `${output!.id}: no \`unsafe\` score at the output stage`);
          withOutputStageUnsafe(scores, u);
        } else {
          const instruction = instructionOf(input.text);
          if (instruction != null) {
            const [li, ll] = await Promise.all([lexicon, linear].map((p) => p.classify({ ...input, text: instruction }, opts)));
            if (li?.status === 'ok' && ll?.status === 'ok') raiseUnsafeTo(scores, combineEmbeddedScores(ll.scores, li.scores, combiner).unsafe);
          }
        }
      } catch (cause) {
        return failed('internal_error', `combining scores failed: ${(cause as Error)?.message ?? String(cause)}`);
      }
      const evidence: Evidence[] = [...(lex!.evidence ?? []), ...(lin!.evidence ?? [])];
      if (attacks.length > 0 && input.stage !== 'output') {
        try {
          applyAttackDetectors(attacks, input.text, scores, evidence);
        } catch (cause) {
          return failed('internal_error', `attack detectors failed: ${(cause as Error)?.message ?? String(cause)}`);
        }
      }
      if (pi) mergePii(scores, evidence, { scores: pi.scores, evidence: pi.evidence ?? [] });
      return { status: 'ok', scores, evidence, latencyMs: performance.now() - started };
    },
  });
  return options.decode === false ? embedded : withDecodedObfuscation(embedded);
}
