import { z } from 'zod';
import { CATEGORIES, type Category, type Scores } from '../../taxonomy/categories.js';

export const EMBEDDED_COMBINER_FORMAT = 'saferoute-embedded-combiner/1';

/**
 * Categories that do not count as a harm for the aggregate `unsafe`: swearing, policy
 * blocklists, personal data and jailbreak attempts are routed on their own.
 */
export const NOT_A_HARM: ReadonlySet<Category> = new Set<Category>(['profanity', 'blocklist', 'pii', 'jailbreak', 'unsafe']);

const coefficientsSchema = z.object({
  /** Weight of logit(linear score). */
  linear: z.number().nonnegative(),
  /** Weight of the lexicon score (in [0, 1]). */
  lexicon: z.number().nonnegative(),
  bias: z.number(),
  /** Suggested decision threshold on the combined score. */
  threshold: z.number().min(0).max(1),
});

export const embeddedCombinerSchema = z.object({
  format: z.literal(EMBEDDED_COMBINER_FORMAT),
  /** The part versions the coefficients were fitted on (informational: the form stays monotonic). */
  fittedWith: z.object({ linear: z.string(), lexicon: z.string() }),
  categories: z.partialRecord(z.enum(CATEGORIES), coefficientsSchema),
  metrics: z.unknown().optional(),
});

export type EmbeddedCombiner = z.infer<typeof embeddedCombinerSchema>;
export type CombinerCoefficients = z.infer<typeof coefficientsSchema>;

const EPS = 1e-6;

function logit(p: number): number {
  const q = p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
  return Math.log(q / (1 - q));
}

function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** The lexicon input for a category: its own score, or for `unsafe` the strongest harm found. */
export function lexiconInput(lexicon: Scores, category: Category): number {
  if (category !== 'unsafe') return lexicon[category] ?? 0;
  let max = lexicon.unsafe ?? 0;
  // for…in rather than Object.entries: this runs for every text and should not allocate.
  for (const c in lexicon) {
    const s = lexicon[c as Category];
    if (s != null && s > max && !NOT_A_HARM.has(c as Category)) max = s;
  }
  return max;
}

/**
 * Per category scored by both parts: σ(a·logit(linear) + b·lexicon + c), a stacked logistic
 * fitted on out-of-fold scores, with a, b ≥ 0 so a higher part score never lowers the result
 * (`jailbreak` is at least its lexicon score from `JAILBREAK_LEXICON_FLOOR` up).
 * Categories scored by one part only keep that score; without coefficients the maximum is used.
 * Finally `unsafe` is raised to the highest harm score: anything harmful is unsafe (this also
 * measured best, out of fold, on the OpenAI moderation rows).
 */
export function combineEmbeddedScores(linear: Scores, lexicon: Scores, combiner?: EmbeddedCombiner): Scores {
  const out: Scores = {};
  for (const c in lexicon) {
    const v = lexicon[c as Category];
    if (v != null) out[c as Category] = v;
  }
  for (const key in linear) {
    const c = key as Category;
    const p = linear[c];
    if (p == null) continue;
    const coefficients = combiner?.categories[c];
    if (!coefficients) {
      const l = out[c];
      out[c] = l == null || p > l ? p : l;
      continue;
    }
    const x = lexiconInput(lexicon, c);
    const combined = sigmoid(coefficients.linear * logit(p) + coefficients.lexicon * x + coefficients.bias);
    out[c] = c === 'jailbreak' ? withJailbreakFloor(combined, x) : combined;
  }
  return raiseUnsafeToHighestHarm(out, lexicon.illicit, lexicon.unsafe);
}

/**
 * Categories whose score does not raise `unsafe`, besides those that are no harm: `illicit`'s
 * linear head learns from harmful-request sets whose crimes are mostly hacking, and no source
 * labels benign security questions for it, so it scores "how do I test my own server for SQL
 * injection" as high as an attack. Raised by it, `unsafe` blocked 54% of PurpleLlama's benign
 * cyber look-alike prompts at 0.8 out of fold; not raised, 0.1%, for the same share of harmful
 * requests within 1–6 points and OpenAI-rows AUPRC 0.849 → 0.851. `unsafe`'s own head is
 * trained on those look-alikes as negatives, and still reads the illicit lexicon.
 */
const DOES_NOT_RAISE_UNSAFE: ReadonlySet<Category> = new Set<Category>([...NOT_A_HARM, 'illicit']);

/**
 * The illicit *lexicon* does raise `unsafe`, from this score up: a request verb next to its object
 * ("synthesise" + "fentanyl", "hack into" + "her Instagram", in any of the lexicons' languages) is
 * a request for a crime, not a security question. Without it, requests for drugs and account
 * intrusion in other languages, where the linear heads have few rows, stayed at `unsafe` 0.5–0.79
 * while their `illicit` score was 0.85–0.97.
 */
export const ILLICIT_LEXICON_RAISES_UNSAFE = 0.8;

/**
 * The `unsafe` lexicon's own score raises `unsafe` from this score up, for the same reason: its
 * strongest entries are a request and its harm named together ("a blog post glorifying the
 * bombers", "screen applicants based on their religion"), or two such signals at once, and the
 * stacked combination let a confident linear "no" (0.02 on requests worded like no training row)
 * hold them at `unsafe` 0.2-0.6, under the strict block. Single weaker cues (0.75: "a persuasive
 * article" near "greatly exaggerated") stay below it and are weighed by the combiner as before.
 */
export const UNSAFE_LEXICON_RAISES_UNSAFE = 0.85;

/**
 * The jailbreak lexicon's score is a floor for `jailbreak` from this score up. Its strongest
 * readings are an injection's whole wording matched twice over ("ignore all previous
 * instructions", in any of the lexicons' languages), and the stacked combination let a confident
 * linear "no" — the linear head has few rows in Russian, Korean, Arabic or Vietnamese, and reads
 * 0.003–0.04 on them — hold such injections at 0.26–0.79, under the 0.8 block, with the lexicon at
 * 0.98–1.0. Weaker lexicon readings are weighed by the combiner as before.
 */
export const JAILBREAK_LEXICON_FLOOR = 0.95;

/** `jailbreak`'s combined score, raised to its lexicon score when that is at the floor or above. */
function withJailbreakFloor(combined: number, lexicon: number): number {
  return lexicon >= JAILBREAK_LEXICON_FLOOR && lexicon > combined ? lexicon : combined;
}

/**
 * At the output stage `unsafe` comes from the output-stage model (did the answer comply with a
 * harmful request, or refuse?) instead of the input model's head, then is raised to the highest
 * harm score as at the input stage. Writes into `scores` and returns it.
 */
export function withOutputStageUnsafe(scores: Scores, outputUnsafe: number): Scores {
  scores.unsafe = outputUnsafe;
  return raiseUnsafeToHighestHarm(scores);
}

/** Anything harmful is unsafe: `unsafe` (when scored) becomes at least the highest harm score. */
function raiseUnsafeToHighestHarm(out: Scores, illicitLexicon = 0, unsafeLexicon = 0): Scores {
  let unsafe = out.unsafe;
  if (unsafe == null) return out;
  if (illicitLexicon >= ILLICIT_LEXICON_RAISES_UNSAFE && illicitLexicon > unsafe) unsafe = illicitLexicon;
  if (unsafeLexicon >= UNSAFE_LEXICON_RAISES_UNSAFE && unsafeLexicon > unsafe) unsafe = unsafeLexicon;
  for (const c in out) {
    const s = out[c as Category];
    if (s != null && s > unsafe && !DOES_NOT_RAISE_UNSAFE.has(c as Category)) unsafe = s;
  }
  out.unsafe = unsafe;
  return out;
}

/**
 * `combineEmbeddedScores` specialised, once, for one combiner and one linear model's heads: the
 * same numbers, without looking coefficients up by category name or copying objects per text
 * (which cost as much as scoring a short text). It writes into `lexicon`, which the caller must
 * own (the lexicon scanner returns a fresh object per text), and returns it.
 */
export type CompiledCombiner = (linearProbabilities: ArrayLike<number>, lexicon: Scores) => Scores;

export function compileEmbeddedCombiner(heads: readonly Category[], combiner?: EmbeddedCombiner): CompiledCombiner {
  const coefficients = heads.map((c) => combiner?.categories[c]);
  const unsafeHead = heads.indexOf('unsafe');
  const jailbreakHead = heads.indexOf('jailbreak');
  return (probabilities, lexicon) => {
    // `unsafe`'s lexicon input reads every lexicon category: take it before any is overwritten.
    const unsafeLexicon = unsafeHead >= 0 && coefficients[unsafeHead] ? lexiconInput(lexicon, 'unsafe') : 0;
    const illicitLexicon = lexicon.illicit ?? 0;
    const unsafeOwnLexicon = lexicon.unsafe ?? 0;
    const out = lexicon;
    for (let h = 0; h < heads.length; h++) {
      const c = heads[h]!;
      const p = probabilities[h]!;
      const k = coefficients[h];
      const l = out[c];
      if (!k) {
        out[c] = l == null || p > l ? p : l;
        continue;
      }
      const x = h === unsafeHead ? unsafeLexicon : (l ?? 0);
      const combined = sigmoid(k.linear * logit(p) + k.lexicon * x + k.bias);
      out[c] = h === jailbreakHead ? withJailbreakFloor(combined, x) : combined;
    }
    return raiseUnsafeToHighestHarm(out, illicitLexicon, unsafeOwnLexicon);
  };
}
