/**
 * How text becomes a feature vector. Stored in the model manifest: a model only makes sense
 * with the exact settings it was trained with, so these are read back rather than assumed.
 */
export interface FeatureSettings {
  /** The hash space has 2^bucketBits buckets. */
  bucketBits: number;
  /** Character n-grams of these lengths over the normalised text (spaces included). */
  charNgramMin: number;
  charNgramMax: number;
  /** 1 = word unigrams, 2 = unigrams and bigrams, 0 = no word features. */
  wordNgramMax: number;
  /**
   * An integer count added per word feature occurrence (char n-grams add 1). Word features are
   * far fewer than char n-grams, so without a boost they barely move the L2-normalised vector.
   */
  wordWeight: number;
  /** `log`: sign(c)·ln(1+|c|) of the signed bucket count; `binary`: sign(c). */
  tf: 'log' | 'binary';
  /**
   * Han, Kana and Hangul text has no spaces between words, so a "word" there is a whole clause
   * and char 4-grams are too sparse to generalise. 1 adds a feature per such character, 2 also
   * per pair of adjacent ones (the usual Chinese/Japanese word length); 0 or absent: none
   * (models trained before this setting existed).
   */
  cjkNgramMax?: number;
  /**
   * 1: harmless idioms in harm words ("bath bomb", "steal the show", "kill time") are read in
   * plain words before hashing (see literal-idioms.ts); 0 or absent: the text as written (models
   * trained before this setting existed). Editing that table means retraining, as editing the
   * hashing would.
   */
  literalIdioms?: number;
}

/**
 * Chosen by cross-validation and speed: 2^14 buckets scored within noise of 2^16 and 2^18 out of
 * fold (collisions act as a regulariser; embedded AUPRC on the OpenAI rows: sexual 0.940 vs
 * 0.939, unsafe 0.866 vs 0.871), and the weights (2^14 × 9 heads, 144 KB) stay in the CPU's L2
 * cache instead of costing a cache miss per feature; character 4-grams alone scored within noise
 * of 3–5 or 4–5-grams once combined with the lexicon, at half the hashing cost of 4–5.
 */
export const DEFAULT_FEATURE_SETTINGS: Readonly<FeatureSettings> = Object.freeze({
  bucketBits: 14,
  charNgramMin: 4,
  charNgramMax: 4,
  wordNgramMax: 2,
  wordWeight: 2,
  tf: 'log',
  cjkNgramMax: 2,
  literalIdioms: 1,
});
