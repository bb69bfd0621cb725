import { fileURLToPath } from 'node:url';
import type { Classifier, ClassifierInput, ClassifierOutcome } from '../classifier.js';
import { compileLexicon, compiledLexiconFrom, type Blocklist, type CompiledLexicon, type LexiconScanResult } from './compile-lexicon.js';
import type { Lexicon } from './lexicon-schema.js';
import { classifySync } from '../classify-sync.js';
import { compileShippedLexicons, lexiconCacheDir } from './lexicon-cache.js';
import { DEFAULT_LEXICON_DIR, loadLexicons } from './load-lexicons.js';

export interface LexiconClassifierOptions {
  /** The lexicons to use; the shipped set when absent, none with `[]` (blocklists only). */
  lexicons?: readonly Lexicon[];
  /** Policy blocklists, compiled into the same matcher. */
  blocklists?: readonly Blocklist[];
  /** See `CompileLexiconOptions.maxEvidence`. */
  maxEvidence?: number;
  /**
   * Where the compiled shipped lexicons are cached between processes (see lexicon-cache.ts), or
   * `false` to compile every time. Default: `SAFEROUTE_CACHE_DIR`, else
   * `node_modules/.cache/saferoute/` in the package's folder. Used only for the shipped set
   * without blocklists; other sets compile every time.
   */
  cacheDir?: string | false;
}

/** A `Classifier` over a compiled lexicon; `scan` is the synchronous core, for callers that want it. */
export interface LexiconClassifier extends Classifier {
  /** See `CompiledLexicon.scan`. */
  scan(text: string, preceding?: string): LexiconScanResult;
}

/** Compiles once; throws `LexiconError` for a bad lexicon or blocklist, never from `classify`. */
export function createLexiconClassifier(options: LexiconClassifierOptions = {}): LexiconClassifier {
  const compileOptions = options.maxEvidence != null ? { maxEvidence: options.maxEvidence } : {};
  const shipped = options.lexicons == null && (options.blocklists ?? []).length === 0;
  const compiled: CompiledLexicon = shipped
    ? compiledLexiconFrom(compileShippedLexicons(fileURLToPath(DEFAULT_LEXICON_DIR), options.cacheDir ?? lexiconCacheDir()), compileOptions)
    : compileLexicon(options.lexicons ?? loadLexicons(), options.blocklists ?? [], compileOptions);
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
