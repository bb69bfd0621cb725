export { createEmbeddedClassifier } from './create-embedded-classifier.js';
export type { EmbeddedClassifierOptions } from './create-embedded-classifier.js';
export { getDefaultEmbeddedClassifier } from './default-embedded-classifier.js';
export {
  combineEmbeddedScores,
  embeddedCombinerSchema,
  EMBEDDED_COMBINER_FORMAT,
  lexiconInput,
  NOT_A_HARM,
  withOutputStageUnsafe,
} from './embedded-combiner.js';
export type { CombinerCoefficients, EmbeddedCombiner } from './embedded-combiner.js';
export { loadEmbeddedCombiner, DEFAULT_EMBEDDED_COMBINER_PATH } from './load-embedded-combiner.js';
export { loadOutputStageModel, DEFAULT_OUTPUT_STAGE_MODEL_PATH } from './load-output-stage-model.js';
