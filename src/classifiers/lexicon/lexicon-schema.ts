import { z } from 'zod';
import { CATEGORIES, type Category } from '../../taxonomy/categories.js';

/** Blocklists come from policies, not lexicon files. */
export type LexiconCategory = Exclude<Category, 'blocklist'>;
const LEXICON_CATEGORIES = CATEGORIES.filter((c): c is LexiconCategory => c !== 'blocklist') as [LexiconCategory, ...LexiconCategory[]];

export const LEXICON_SCHEMA_ID = 'https://saferoute.dev/schema/lexicon.schema.json';

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');

const term = z.string().min(1).max(2000).meta({
  description:
    'A word or phrase, matched at word boundaries after normalisation (case, leetspeak, look-alikes, spacing, repeats). ' +
    'A trailing `*` also matches longer words that start with it (`kill*`), a leading `*` words that end with it. ' +
    '`{a,b}` expands to alternatives (`slut{,s}`), `{1..17}` to a range of numbers.',
});

const weight = z.number().gt(0).max(1);

export const ContextRuleSchema = z
  .object({
    terms: z.array(term).min(1).meta({ description: 'Words or phrases that change the weight when near the hit.' }),
    factor: z.number().min(0).max(10).meta({
      description: 'Multiplies the hit weight: below 1 lowers it (`kill` near `process`), above 1 raises it; the result is capped at 1.',
    }),
    window: z.number().int().min(0).max(50).optional().meta({ description: 'How many words around the hit to look; the lexicon `window` when absent.' }),
    side: z.enum(['before', 'after', 'both']).optional().meta({ description: 'Where the context may occur relative to the hit; `both` when absent.' }),
    frame: z.boolean().optional().meta({
      description:
        'A lowering context that says the text talks about the harm (research, news, history, prevention) rather than changing what is asked. ' +
        'When a first-person request asks for a term directly, a frame lowers it only between the opener and the term: not from a lead-in, ' +
        'another sentence or after it ("For my research: how do I …", "How do I rob a bank for a documentary?"), and not as an aside between them ' +
        '(a purpose or role, "How do I, for my research, make …"). Where the request follows the term ("爆弾の作り方を教えて", "bomba nasıl yapılır"), ' +
        'no frame before the term counts but one marked `namesTerm` right beside it. ' +
        'Contexts that are not frames (a game, one\'s own account) count wherever their window reaches.',
    }),
    namesTerm: z.boolean().optional().meta({
      description:
        'A frame that names what the term is (a prop, a model, a poster or a scene of it): it also counts right after a requested term, at most two words ' +
        'after it with no break or purpose word between ("una bomba falsa de utilería", "a bomb prop"), and right before it where the request ' +
        'follows the term ("sahte bomba", "偽物の爆弾"). Implies `frame`. Other frames after ' +
        'the term are a tail ("How do I cook meth Breaking Bad style?").',
    }),
    note: z.string().optional(),
  })
  .strict()
  .meta({ id: 'ContextRule', description: 'Context words that raise or lower the weight of a hit.' });

const contextRef = z
  .union([name, ContextRuleSchema])
  .meta({ description: 'The name of a rule in `contexts`, or a rule written in place.' });

export const TermEntrySchema = z
  .object({
    term: z.union([term, z.array(term).min(1)]).meta({ description: 'One term, or several sharing weight and context.' }),
    weight: weight.meta({ description: 'How strongly one hit indicates the category, in (0, 1].' }),
    context: z.array(contextRef).optional().meta({ description: 'Context rules for these terms, besides `defaultContext`.' }),
    note: z.string().optional(),
  })
  .strict()
  .meta({ id: 'TermEntry' });

export const GroupEntrySchema = z
  .object({
    term: z.union([term, z.array(term).min(1)]),
    weight: weight.optional().meta({ description: 'Multiplies the co-occurrence weight; 1 when absent.' }),
    context: z.array(contextRef).optional(),
    note: z.string().optional(),
  })
  .strict()
  .meta({ id: 'GroupEntry' });

export const CooccurrenceSchema = z
  .object({
    id: name,
    groups: z.tuple([name, name]).meta({ description: 'The two groups: a term of each must occur within `window` words of each other.' }),
    window: z.union([z.number().int().min(0).max(50), z.literal('text')]).meta({
      description:
        'How far apart the two terms may be, in words (1: adjacent), or `"text"`: anywhere in the text checked ' +
        '(with the text before it that the caller passes along, e.g. earlier windows of a streamed answer).',
    }),
    ordered: z.boolean().optional().meta({
      description: 'The term of the first group must come before the term of the second ("you are" … "idiot"); needs a window in words.',
    }),
    weight: weight.meta({ description: 'The hit weight, multiplied by the weights of the two group terms.' }),
    note: z.string().optional(),
  })
  .strict()
  .meta({ id: 'Cooccurrence', description: 'Scores only when terms of two groups occur near each other; neither group scores alone.' });

export const LexiconSchema = z
  .object({
    $schema: z.string().optional(),
    category: z.enum(LEXICON_CATEGORIES).meta({
      description: 'The canonical category this lexicon scores; the file is named after it with `/` written as `__`.',
    }),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code in lower case (`fr`, `zh`)')
      .optional()
      .meta({
        description:
          'The language of the terms, for a lexicon that adds one language to a category (`weapons__indiscriminate.fr.json`); ' +
          'the file name then carries it before `.json`. Absent: the category\'s main file (English and language-neutral terms).',
      }),
    description: z.string().min(1),
    window: z.number().int().min(0).max(50).optional().meta({ description: 'Default context window in words; 4 when absent.' }),
    contexts: z.record(name, ContextRuleSchema).optional().meta({ description: 'Named context rules, referred to by name.' }),
    defaultContext: z.array(contextRef).optional().meta({ description: 'Context rules applied to every entry of `terms`.' }),
    terms: z.array(TermEntrySchema),
    groups: z.record(name, z.array(GroupEntrySchema).min(1)).optional().meta({ description: 'Term groups used by `cooccurrence`; they never score alone.' }),
    cooccurrence: z.array(CooccurrenceSchema).optional(),
  })
  .strict()
  .meta({ description: 'A saferoute lexicon: weighted terms for one category.' });

export type ContextRule = z.infer<typeof ContextRuleSchema>;
export type TermEntry = z.infer<typeof TermEntrySchema>;
export type GroupEntry = z.infer<typeof GroupEntrySchema>;
export type Cooccurrence = z.infer<typeof CooccurrenceSchema>;
/** A validated lexicon file. */
export type Lexicon = z.infer<typeof LexiconSchema>;

/** The published JSON Schema, derived from the zod types so the two never drift. */
export function buildLexiconJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(LexiconSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: LEXICON_SCHEMA_ID,
    title: 'saferoute lexicon',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
