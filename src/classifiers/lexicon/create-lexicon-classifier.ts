import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifier.js';
import { compileLexicon, type Blocklist, type CompiledLexicon, type LexiconScanResult } from './compile-lexicon.js';
import type { Lexicon } from './lexicon-schema.js';
import { classifySync } from '../classify-sync.js';
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
  /** See `CompiledLexicon.scan`. */
  scan(text: string, preceding?: string): LexiconScanResult;
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
    scan: (text: string, preceding?: string) => compiled.scan(text, preceding),
    classify(input: ClassifierInput, opts?: { signal?: AbortSignal }): Promise<ClassifierOutcome> {
      const preceding = typeof input?.context?.preceding === 'string' ? input.context.preceding : undefined;
      return classifySync('lexicon scan', input, opts?.signal, (text) => compiled.scan(text, preceding));
    },
  });
}
