import { SaferouteError } from '../errors.js';
import type { Classifier } from './classifier.js';
import { createCascade, type CascadeOptions, type UncertainBand } from './decorators/create-cascade.js';
import { createLlamaGuardClassifier } from './llama-guard/llama-guard-classifier.js';
import { createOpenAIModerationClassifier } from './openai-moderation/openai-moderation-classifier.js';
import { getDefaultEmbeddedClassifier } from './embedded/index.js';
import { getDefaultLexiconClassifier } from './lexicon/index.js';
import { createLinearClassifier } from './linear/index.js';
import { createPiiClassifier } from './pii/index.js';

export type ClassifierFactory = () => Classifier;

export interface ClassifierRegistry {
  /**
   * A classifier by name (`embedded`), or a cascade spec (`embedded>openai-moderation`): the
   * named classifiers cheapest first. Instances are created on first use and reused.
   * Throws `SaferouteError` `classifier_unknown` (with a did-you-mean) for an unknown name.
   */
  get(nameOrSpec: string): Classifier;
  has(name: string): boolean;
  /** The registered names, sorted. */
  names(): string[];
}

export interface ClassifierRegistryOptions {
  /** Uncertain bands of cascades built from specs (default `DEFAULT_CASCADE_BAND`). */
  cascade?: Pick<CascadeOptions, 'uncertain'>;
}

/**
 * Escalate scores in [0.2, 0.8]: below 0.2 or above 0.8 a calibrated cheap model is usually
 * right; in between, asking a stronger one is worth its latency. Tune per category in policy.
 */
export const DEFAULT_CASCADE_BAND: UncertainBand = { low: 0.2, high: 0.8 };

/** Callers pass factories in (`createClassifierRegistry({ lexicon, linear })`); nothing self-registers. */
export function createClassifierRegistry(
  factories: Readonly<Record<string, ClassifierFactory>>,
  options: ClassifierRegistryOptions = {},
): ClassifierRegistry {
  for (const name of Object.keys(factories)) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
      throw new SaferouteError('config_invalid', `classifier name \`${name}\` must be lowercase letters, digits, \`.\`, \`_\` or \`-\``);
    }
  }
  const instances = new Map<string, Classifier>();
  const known = Object.keys(factories).sort();

  const one = (name: string, spec: string): Classifier => {
    const existing = instances.get(name);
    if (existing) return existing;
    const factory = Object.prototype.hasOwnProperty.call(factories, name) ? factories[name] : undefined;
    if (!factory) {
      const where = spec !== name ? ` in \`${spec}\`` : '';
      const suggestion = closest(name, known);
      const hint = suggestion ? `; did you mean \`${suggestion}\`?` : '';
      throw new SaferouteError(
        'classifier_unknown',
        `unknown classifier \`${name}\`${where}${hint} (known: ${known.map((k) => `\`${k}\``).join(', ') || 'none'})`,
      );
    }
    const created = factory();
    instances.set(name, created);
    return created;
  };

  return {
    get(nameOrSpec) {
      const parts = String(nameOrSpec).split('>').map((p) => p.trim());
      // `a > b` and `a>b` are one cascade.
      const spec = parts.join('>');
      const cached = instances.get(spec);
      if (cached) return cached;
      if (parts.some((p) => p === '')) {
        throw new SaferouteError('classifier_unknown', `classifier spec \`${nameOrSpec}\` has an empty name; write \`a\` or \`a>b\``);
      }
      if (parts.length === 1) return one(parts[0] as string, spec);
      const cascade = createCascade(
        parts.map((p) => one(p, spec)),
        { uncertain: options.cascade?.uncertain ?? DEFAULT_CASCADE_BAND },
      );
      instances.set(spec, cascade);
      return cascade;
    },
    has: (name) => Object.prototype.hasOwnProperty.call(factories, name),
    names: () => [...known],
  };
}

/**
 * The shipped classifiers, each built on first use (nothing loads at import), configured from the
 * environment where they talk to a server:
 * - `embedded` (lexicon + linear model + PII, the default), `lexicon`, `linear`, `pii`: in-process;
 * - `openai-moderation`: key from `OPENAI_API_KEY` (read at call time, never stored in config),
 *   `OPENAI_BASE_URL`, `SAFEROUTE_OPENAI_MODERATION_MODEL`;
 * - `llama-guard`: `SAFEROUTE_OLLAMA_HOST` (default `http://127.0.0.1:11434`),
 *   `SAFEROUTE_LLAMA_GUARD_MODEL` (default `llama-guard3:8b`).
 */
export function defaultClassifierFactories(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, ClassifierFactory> {
  const set = (value: string | undefined): string | undefined => (value != null && value.trim() !== '' ? value.trim() : undefined);
  return {
    embedded: () => getDefaultEmbeddedClassifier(),
    lexicon: () => getDefaultLexiconClassifier(),
    linear: () => createLinearClassifier(),
    pii: () => createPiiClassifier(),
    'openai-moderation': () => {
      const baseURL = set(env.OPENAI_BASE_URL);
      const model = set(env.SAFEROUTE_OPENAI_MODERATION_MODEL);
      return createOpenAIModerationClassifier({
        env,
        apiKeyEnv: 'OPENAI_API_KEY',
        ...(baseURL ? { baseURL } : {}),
        ...(model ? { model } : {}),
      });
    },
    'llama-guard': () => {
      const host = set(env.SAFEROUTE_OLLAMA_HOST);
      const model = set(env.SAFEROUTE_LLAMA_GUARD_MODEL);
      return createLlamaGuardClassifier({ ...(host ? { host } : {}), ...(model ? { model } : {}) });
    },
  };
}

/** The known name nearest to `name` by edit distance, if near enough to be a likely typo. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  if (best && name.length > 0 && (bestDistance <= limit || best.startsWith(name) || name.startsWith(best))) return best;
  return undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
