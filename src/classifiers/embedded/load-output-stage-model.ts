import { fileURLToPath } from 'node:url';
import { LinearModelError } from '../linear/linear-model-error.js';
import type { LinearModel } from '../linear/linear-model.js';
import { loadLinearModel } from '../linear/load-linear-model.js';

/** Written by `npm run train` (classifiers/train/train-output-model.ts) beside the input model. */
export const DEFAULT_OUTPUT_STAGE_MODEL_PATH: string = fileURLToPath(
  new URL('../../../classifiers/models/output.manifest.json', import.meta.url),
);

/**
 * Reads the output-stage model (synchronously, once): a linear model with exactly one head,
 * `unsafe`, that scores whether a model's answer complies with a harmful request.
 */
export function loadOutputStageModel(path: string = DEFAULT_OUTPUT_STAGE_MODEL_PATH): LinearModel {
  const model = loadLinearModel(path);
  if (model.heads.length !== 1 || model.heads[0]!.category !== 'unsafe') {
    throw new LinearModelError(`the output-stage model \`${path}\` must have exactly one head, \`unsafe\``);
  }
  return model;
}
