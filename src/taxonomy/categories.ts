/**
 * The closed list of canonical categories. Every classifier reports scores in these terms and
 * every policy condition names them; vendor categories are mapped in one file per vendor.
 */
export const CATEGORIES = [
  'sexual',
  'sexual/minors',
  'sexual/non-consensual',
  'hate',
  'hate/threatening',
  'harassment',
  'harassment/threatening',
  'violence',
  'violence/graphic',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'illicit',
  'illicit/violent',
  'weapons/indiscriminate',
  'jailbreak',
  'pii',
  'profanity',
  'defamation',
  'specialized-advice',
  'intellectual-property',
  'elections',
  'code-abuse',
  'blocklist',
  'unsafe',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  sexual: 'sexual content between adults: explicit descriptions, erotica, sexual services',
  'sexual/minors': 'any sexual content involving a person under 18; never allowed, always separate from `sexual`',
  'sexual/non-consensual': 'sexual content without consent: assault, coercion, trafficking, non-consensual imagery',
  hate: 'content that demeans or expresses hatred of people for a protected attribute',
  'hate/threatening': 'hateful content that also threatens or calls for violence against the group',
  harassment: 'content that harasses, insults or bullies a specific person',
  'harassment/threatening': 'harassment that also threatens harm to its target',
  violence: 'content that depicts, glorifies or incites violence against people or animals',
  'violence/graphic': 'graphic, gory depictions of death, injury or violence',
  'self-harm': 'content about suicide, self-injury or eating disorders',
  'self-harm/intent': 'the speaker says they intend to harm themselves',
  'self-harm/instructions': 'instructions or encouragement for suicide or self-injury',
  illicit: 'advice or instructions for crimes without violence: fraud, theft, drugs, hacking',
  'illicit/violent': 'advice or instructions for violent crimes, including acquiring weapons',
  'weapons/indiscriminate': 'chemical, biological, radiological, nuclear or explosive weapons',
  jailbreak: 'attempts to override the system instructions or the model safety behaviour (prompt injection)',
  pii: 'personal data: e-mail addresses, phone numbers, card numbers, national identifiers, addresses',
  profanity: 'swearing and vulgar language that is not aimed at a group or a person',
  defamation: 'false statements of fact that damage the reputation of a real person',
  'specialized-advice': 'financial, medical or legal advice given as if by a professional',
  'intellectual-property': 'content that infringes copyright, trademarks or trade secrets',
  elections: 'false information about electoral processes: when, where or how to vote',
  'code-abuse': 'abuse of code interpreters or tools: escapes, denial of service, exploitation',
  blocklist: 'a term from a policy-defined blocklist (competitor names, internal code words)',
  unsafe: 'aggregate: any harmful or refusable request, including harms outside this list',
};

const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);

export function isCategory(value: string): value is Category {
  return CATEGORY_SET.has(value);
}

/** Scores per category in [0, 1]; an absent category was not scored (unknown, not zero). */
export type Scores = Partial<Record<Category, number>>;
