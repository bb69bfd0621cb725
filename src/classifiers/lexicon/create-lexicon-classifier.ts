import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifier.js';
import { compileLexicon, type Blocklist, type CompiledLexicon, type LexiconScanResult } from './compile-lexicon.js';
import type { Lexicon } from './lexicon-schema.js';
import { loadLexicons } from './load-lexicons.js';

export interface LexiconClassifierOptions {
  /** The lexicons to use; the shipped set when absent, none with `[]` (blocklists only). */
  lexicons?: readonly Lexicon[];
  /** Policy blocklists, compiled into the same matcher. */
  blocklists?: readonly Blocklist[];
  /** See `CompileLexiconOptions.maxEvidence`. */
  maxEvidence?: number;
}

/** A `Classifier` over a compiled lexicon; `scan` is the synchronous core, for callers that want it. */
export interface LexiconClassifier extends Classifier {
  scan(text: string): LexiconScanResult;
}

/** Compiles once; throws `LexiconError` for a bad lexicon or blocklist, never from `classify`. */
export function createLexiconClassifier(options: LexiconClassifierOptions = {}): LexiconClassifier {
  const compiled: CompiledLexicon = compileLexicon(
    options.lexicons ?? loadLexicons(),
    options.blocklists ?? [],
    options.maxEvidence != null ? { maxEvidence: options.maxEvidence } : {},
  );
  return Object.freeze({
    id: 'lexicon',
    version: compiled.version,
    categories: compiled.categories,
    scan: (text: string) => compiled.scan(text),
    classify(input: ClassifierInput, opts?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const t0 = performance.now();
      const latency = (): number => performance.now() - t0;
      if (opts?.signal?.aborted) {
        return Promise.resolve({ status: 'failed', error: { code: 'aborted', message: 'classification was aborted' }, latencyMs: latency() });
      }
      if (typeof input?.text !== 'string') {
        return Promise.resolve({ status: 'failed', error: { code: 'input_invalid', message: 'input text must be a string' }, latencyMs: latency() });
      }
      try {
        const { scores, evidence } = compiled.scan(input.text);
        return Promise.resolve({ status: 'ok', scores, evidence, latencyMs: latency() });
      } catch (err) {
        // Not expected; reported as a failure so the policy's fail-closed rule applies.
        return Promise.resolve({
          status: 'failed',
          error: { code: 'internal_error', message: `lexicon scan failed: ${err instanceof Error ? err.message : String(err)}` },
          latencyMs: latency(),
        });
      }
    },
  });
}
