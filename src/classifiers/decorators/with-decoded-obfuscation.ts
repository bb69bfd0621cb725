import type { Category, Scores } from '../../taxonomy/categories.js';
import type { Classifier, ClassifierInput, ClassifierOutcome, Evidence } from '../classifier.js';
import { decodedVariants } from '../obfuscation/decoded-variants.js';

/** Bumped whenever what is decoded changes (caches and audit records key on the version). */
export const DECODE_VERSION = '5';

/**
 * The classifier, also run on what the text says once its obfuscation is undone — base64, hex or
 * binary bytes, percent-encoding, HTML entities, `\u`/`\x` escapes, invisible Unicode tag
 * characters, right-to-left overrides, words spelled out letter by letter, a word cut into quoted pieces the text asks to join, and a whole text in ROT13
 * or written backwards when the text asks for that reading or reads as English only that way —
 * since the model it guards reads through all of them. Each score is
 * the highest of the readings; evidence found in decoded text points at the encoded span of the
 * original, its source marked `(decoded: base64)`.
 *
 * A text with nothing to decode (nearly all) costs one regular-expression test more. A failed
 * classification of any reading fails the whole outcome: the decoded reading may be the harmful
 * one, so scoring only what was written would not be fail-closed.
 */
export function withDecodedObfuscation(classifier: Classifier): Classifier {
  return Object.freeze({
    id: classifier.id,
    version: `${classifier.version}+decode@${DECODE_VERSION}`,
    categories: classifier.categories,
    async classify(input: ClassifierInput, options?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const outcome = await classifier.classify(input, options);
      if (outcome.status !== 'ok' || typeof input?.text !== 'string') return outcome;
      const variants = decodedVariants(input.text);
      if (variants.length === 0) return outcome;
      const scores: Scores = { ...outcome.scores };
      const evidence: Evidence[] = [...(outcome.evidence ?? [])];
      const decidedBy = outcome.decidedBy ? { ...outcome.decidedBy } : undefined;
      let latencyMs = outcome.latencyMs;
      for (const variant of variants) {
        const read = await classifier.classify({ ...input, text: variant.text }, options);
        latencyMs += read.latencyMs;
        if (read.status !== 'ok') {
          return { ...read, latencyMs, error: { ...read.error, message: `${read.error.message} (classifying the text decoded from ${variant.kinds.join(' then ')})` } };
        }
        for (const c in read.scores) {
          const category = c as Category;
          const s = read.scores[category];
          const prev = scores[category];
          if (s == null || (prev != null && s <= prev)) continue;
          scores[category] = s;
          const by = read.decidedBy?.[category];
          if (decidedBy && by) decidedBy[category] = by;
        }
        for (const e of read.evidence ?? []) {
          const at = variant.toOriginal(e.start, e.end);
          if (at) evidence.push({ ...e, start: at[0], end: at[1], source: `${e.source} (decoded: ${variant.kinds.join(', ')})` });
        }
      }
      return { ...outcome, scores, evidence, latencyMs, ...(decidedBy ? { decidedBy } : {}) };
    },
  });
}
