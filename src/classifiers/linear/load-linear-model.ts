import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeLinearModel } from './decode-linear-model.js';
import type { LinearModel } from './linear-model.js';
import { LinearModelError } from './linear-model-error.js';

/** The same relative hop works from src/classifiers/linear and dist/classifiers/linear. */
export const DEFAULT_LINEAR_MODEL_DIR: string = fileURLToPath(new URL('../../../classifiers/models/', import.meta.url));

export const LINEAR_MANIFEST_FILE = 'linear.manifest.json';

/**
 * Reads a model synchronously (it is loaded once, at start-up). `path` is a manifest file or a
 * folder holding `linear.manifest.json`; the default is the model committed with the package.
 */
export function loadLinearModel(path?: string | URL): LinearModel {
  const given = path === undefined ? DEFAULT_LINEAR_MODEL_DIR : path instanceof URL ? fileURLToPath(path) : path;
  let manifestPath = resolve(given);
  try {
    if (statSync(manifestPath).isDirectory()) manifestPath = join(manifestPath, LINEAR_MANIFEST_FILE);
  } catch (cause) {
    throw new LinearModelError(`linear model not found at \`${given}\``, { cause });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (cause) {
    throw new LinearModelError(`cannot read the linear model manifest \`${manifestPath}\``, { cause });
  }
  const file = (manifest as { weights?: { file?: unknown } } | null)?.weights?.file;
  if (typeof file !== 'string' || file.includes('/') || file.includes('\\') || file.startsWith('.')) {
    throw new LinearModelError(`the linear model manifest \`${manifestPath}\` names no valid weights file`);
  }
  let weights: Uint8Array;
  try {
    weights = readFileSync(join(dirname(manifestPath), file));
  } catch (cause) {
    throw new LinearModelError(`cannot read the linear model weights \`${file}\``, { cause });
  }
  return decodeLinearModel(manifest, weights);
}
