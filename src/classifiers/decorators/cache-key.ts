import { createHash, hash } from 'node:crypto';
import type { ClassifierInput } from '../classifier.js';

/**
 * Anything normalisation could change: a character outside printable ASCII (NFKC, whitespace
 * other than a space, lone surrogates), two spaces in a row, or a space at either end. Most
 * prompts have none, and one scan is far cheaper than NFKC plus a replace.
 */
const NEEDS_NORMALISING = /[^\x20-\x7e]| {2}|^ | $/;
const NON_ASCII = /[^\x00-\x7f]/;
const NEEDS_COLLAPSING = /[^\S ]|\s{2}|^\s|\s$/;
const WHITESPACE_RUN = /\s+/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text as the cache sees it: NFKC (full-width and compatibility forms fold to their plain
 * equivalents), trimmed, whitespace runs collapsed to one space. Case is kept: the wrapped
 * classifier may be case-sensitive (a remote model reads shouting or a name differently),
 * and folding case would let one text's verdict stand for another's.
 */
export function normaliseForCache(text: string): string {
  if (!NEEDS_NORMALISING.test(text)) return text;
  const folded = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  return NEEDS_COLLAPSING.test(folded) ? folded.trim().replace(WHITESPACE_RUN, ' ') : folded;
}

/**
 * SHA-256 over the classifier id and version, the stage, the prompt (output classification
 * depends on it), the preceding text when given (it can raise scores) and the normalised text.
 * Text with lone surrogates is hashed as UTF-16: UTF-8 would turn them into U+FFFD and make
 * such a text collide with one that holds a real U+FFFD.
 */
export function cacheKey(classifierId: string, version: string, input: ClassifierInput): string {
  const prompt = input.context?.prompt;
  const material = keyMaterial(
    classifierId,
    version,
    input.stage,
    prompt != null ? normaliseForCache(prompt) : undefined,
    normaliseForCache(input.text),
    input.context?.preceding,
  );
  if (NON_ASCII.test(material) && LONE_SURROGATE.test(material)) return createHash('sha256').update(material, 'utf16le').digest('base64');
  return hash('sha256', material, 'base64');
}

/**
 * The same digest over the text and prompt exactly as given, without normalising: one hash and
 * nothing else, so a repeated text is found at the cost of hashing it once. For text that is
 * already normal (most prompts) it equals `cacheKey`. It may collide where UTF-8 cannot tell
 * texts apart (lone surrogates), so a hit through it must be confirmed by comparing the text.
 */
export function exactCacheKey(classifierId: string, version: string, input: ClassifierInput): string {
  return hash('sha256', keyMaterial(classifierId, version, input.stage, input.context?.prompt, input.text, input.context?.preceding), 'base64');
}

/**
 * Length-prefixed fields, the text last: no two inputs give the same material. A preceding text
 * (kept exactly: it is context, and rarely repeats) is marked by `+` after the stage, so inputs
 * without one keep the keys they always had.
 */
function keyMaterial(classifierId: string, version: string, stage: string, prompt: string | undefined, text: string, preceding?: string): string {
  const promptPart = prompt != null ? `p${prompt.length}:${prompt}` : 'n';
  const head = `${classifierId.length}:${classifierId}${version.length}:${version}${stage}`;
  if (preceding == null) return `${head}:${promptPart}${text}`;
  return `${head}+${promptPart}${preceding.length}:${preceding}${text}`;
}
