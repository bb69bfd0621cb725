export { compileLexicon, lexiconFileName, lexiconProblems, LEXICON_ENGINE_VERSION } from './compile-lexicon.js';
export type { Blocklist, CompiledLexicon, CompileLexiconOptions, LexiconScanResult } from './compile-lexicon.js';
export { createLexiconClassifier } from './create-lexicon-classifier.js';
export type { LexiconClassifier, LexiconClassifierOptions } from './create-lexicon-classifier.js';
export { getDefaultLexiconClassifier } from './default-lexicon-classifier.js';
export { LexiconError } from './lexicon-error.js';
export {
  buildLexiconJsonSchema,
  ContextRuleSchema,
  CooccurrenceSchema,
  GroupEntrySchema,
  LEXICON_SCHEMA_ID,
  LexiconSchema,
  TermEntrySchema,
} from './lexicon-schema.js';
export type { ContextRule, Cooccurrence, GroupEntry, Lexicon, LexiconCategory, TermEntry } from './lexicon-schema.js';
export { DEFAULT_LEXICON_DIR, loadLexicons, parseLexicon } from './load-lexicons.js';
export { normaliseText } from './normalise-text.js';
export type { NormalisedText } from './normalise-text.js';
