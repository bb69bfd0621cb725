import type { Category } from './categories.js';

/** OpenAI moderation categories (omni-moderation-latest and text-moderation-*). */
export const OPENAI_MODERATION_CATEGORIES = [
  'sexual',
  'sexual/minors',
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'violence',
  'violence/graphic',
] as const;

export type OpenAIModerationCategory = (typeof OPENAI_MODERATION_CATEGORIES)[number];

/**
 * Each OpenAI category maps to exactly one canonical category of the same name. OpenAI's
 * `sexual/minors` is reported apart from `sexual` and stays apart here: a `sexual/minors` score
 * never raises `sexual`, so a rule routing adult content can never route child sexual content.
 */
export const OPENAI_MODERATION_TO_CANONICAL: Readonly<Record<OpenAIModerationCategory, Category>> = {
  sexual: 'sexual',
  'sexual/minors': 'sexual/minors',
  harassment: 'harassment',
  'harassment/threatening': 'harassment/threatening',
  hate: 'hate',
  'hate/threatening': 'hate/threatening',
  illicit: 'illicit',
  'illicit/violent': 'illicit/violent',
  'self-harm': 'self-harm',
  'self-harm/intent': 'self-harm/intent',
  'self-harm/instructions': 'self-harm/instructions',
  violence: 'violence',
  'violence/graphic': 'violence/graphic',
};

/** The reverse table: which OpenAI categories feed a canonical category (empty when none). */
export function openAIModerationSourcesOf(category: Category): OpenAIModerationCategory[] {
  return OPENAI_MODERATION_CATEGORIES.filter((c) => OPENAI_MODERATION_TO_CANONICAL[c] === category);
}
