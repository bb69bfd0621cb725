import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SaferouteError } from '../../errors.js';
import { embeddedCombinerSchema, type EmbeddedCombiner } from './embedded-combiner.js';

/** Written by `npm run train` beside the linear model. */
export const DEFAULT_EMBEDDED_COMBINER_PATH: string = fileURLToPath(
  new URL('../../../classifiers/models/embedded.combiner.json', import.meta.url),
);

/** Reads and validates the combiner coefficients (synchronously: done once, at start-up). */
export function loadEmbeddedCombiner(path: string = DEFAULT_EMBEDDED_COMBINER_PATH): EmbeddedCombiner {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SaferouteError('config_invalid', `cannot read the embedded combiner \`${path}\``, { cause });
  }
  const parsed = embeddedCombinerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SaferouteError(
      'config_invalid',
      `invalid embedded combiner \`${path}\` at \`${issue?.path.join('.') ?? ''}\`: ${issue?.message ?? 'unknown'}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
