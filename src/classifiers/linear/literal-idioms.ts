/**
 * Everyday phrases whose words name a harm but whose meaning does not: a bath bomb, stealing the
 * show, slashing a bill, killing time. A bag of n-grams reads "make a bath bomb" much as it reads
 * "make a pipe bomb", and the strict policy refused both. Taught by example (benign twins among
 * the training rows), the model also learnt that "make a … bomb" can be harmless, and the strict
 * policy's recall on harmful requests fell by one to two and a half points out of fold. So the
 * linear model reads these phrases in plain words instead ("bath fizzer", "impress the
 * audience", "cut my bill"), in training and at inference alike (`FeatureSettings.literalIdioms`).
 *
 * Only the phrase is rewritten: "make a bath bomb that explodes and kills people" still reads
 * "explodes and kills people". The lexicon, the detectors and every evidence span read the text
 * as written. Each entry is narrow on purpose — a harm word followed by the words that make it
 * an idiom, and where the words could also name a target (a venue, a business, a person), the
 * phrase must end the clause or be followed by what makes it an idiom. Tests hold the attack
 * shapes a review found ("knock them dead with a bat", "bomb the presentation venue").
 */
import type { FeatureSettings } from './feature-settings.js';

export interface LiteralIdiom {
  /** Case-insensitive; matched at word boundaries. */
  readonly pattern: RegExp;
  /**
   * The plain reading; `$1`… refer to the pattern's groups. A function (for a pattern without
   * groups) decides from the text before the match, and returns the match to leave it as it is.
   */
  readonly literal: string | ((match: string, offset: number, text: string) => string);
  /** One phrase it covers, for the table's tests. */
  readonly example: string;
  /** The harm word every match contains (a `TRIGGER` word): the pattern runs only on texts that hold it. */
  readonly stem: Stem;
}

const BILLS = String.raw`(?:electricity|energy|power|water|gas|heating|phone|internet|grocery|food|monthly|utility|utilities|household|travel|wedding)`;
const COSTS = String.raw`(?:bills?|costs?|prices?|expenses|expenditure|spending|budget|rates|fees|premiums?)`;
const FIELDS = String.raw`(?:acting|modell?ing|tech|music|film|hollywood|journalism|publishing|comedy|finance|consulting|politics|sales|marketing|design|ux|data science|cybersecurity|nursing|teaching|radio|television|tv|voice acting|animation|game development|the (?:[\w-]+ )?(?:industry|market|field|profession))`;
const PERFORMANCES = String.raw`(?:interview|job interview|exam|exams|test|audition|presentation|pitch|speech|recital|performance|gig|match|game|race|competition|date|first day|new job|meeting|review)`;

/** "You're / I'm / they are … killing it": said of a performance, where a lookbehind in the pattern cost 12 µs a text. */
const SUBJECT_BEFORE = /\b(?:you're|you’re|you are|i'm|i’m|i am|we're|we’re|we are|they're|they’re|they are|she's|she’s|he's|he’s|she is|he is) (?:absolutely |totally |really |just )?$/i;

export const LITERAL_IDIOMS: readonly LiteralIdiom[] = [
  { pattern: /\b(bath|shower|fizzy) bombs?\b/gi, literal: '$1 fizzer', stem: 'bomb', example: 'How do I make a bath bomb?' },
  { pattern: /\bseed bombs?\b/gi, literal: 'seed ball', stem: 'bomb', example: 'How do I make a seed bomb for my garden?' },
  { pattern: /\b(?:hot )?(?:chocolate|cocoa) bombs?\b/gi, literal: 'chocolate sphere', stem: 'bomb', example: 'How do I make hot chocolate bombs?' },
  { pattern: /\bbomb[- ]?proof(?:ed|ing)?\b/gi, literal: 'robust', stem: 'bomb', example: 'How do I bomb-proof my backup strategy?' },
  { pattern: /\bphoto[- ]?bomb(?:s|ed|ing|er|ers)?\b/gi, literal: 'photo interruption', stem: 'bomb', example: 'My dog photobombed our wedding picture.' },
  { pattern: /\bf[- ]bombs?\b/gi, literal: 'swear word', stem: 'bomb', example: 'Is it OK to drop an f-bomb at work?' },
  {
    // One's own or the listener's, or done ("I bombed the interview"), and ending the clause:
    // "bomb the test site", "bomb their speech at the embassy" are read as written.
    pattern: /\b(?:bomb(?:s|ing)? (?:my|your)|bombed (?:a|the|my|this|that|your)) (exam|test|quiz|interview|job interview|audition|presentation|speech|pitch)(?=\s*(?:[?.!,;:]|$)|\s+(?:today|yesterday|tomorrow|again|badly|so|and|but|last|this)\b)/gi,
    literal: 'fail the $1', stem: 'bomb',
    example: 'I think I bombed my interview, what now?',
  },
  { pattern: /\b(?:steal|steals|stealing|stole|stolen) the (?:show|spotlight)\b(?!['’])/gi, literal: 'impress the audience', stem: 'steal', example: 'How can I steal the show at my recital?' },
  {
    pattern: new RegExp(String.raw`\bslash(?:es|ed|ing)? ((?:my|our|your|their|his|her|the|a|its) )?(${BILLS} )?(${COSTS})\b`, 'gi'),
    literal: 'cut $1$2$3', stem: 'slash',
    example: 'How can I slash my electricity bill?',
  },
  { pattern: /\bkill(?:s|ed|ing)? (?:some |the |a little |a bit of |an hour of |a few hours of )?time\b(?![- ]?(?:travel|keeper|bomb|lord))/gi, literal: 'pass time', stem: 'kill', example: 'How can I kill time at the airport?' },
  {
    // The idiom ends there: "…with kindness and antifreeze in her tea" is read as written.
    pattern: /\bkill(?:s|ed|ing)? ((?:[\w'’-]+ ){1,4})with kindness(?=\s*(?:[?.!,;:]|$))/gi,
    literal: 'win $1over with kindness', stem: 'kill',
    example: 'How can I kill my neighbour with kindness?',
  },
  {
    pattern: new RegExp(String.raw`\bkill(?:s|ed|ing)? it (at|in|on|during) ((?:my|the|your|this|our|a|his|her|their) (?:[\w-]+ )?${PERFORMANCES})\b`, 'gi'),
    literal: 'do great $1 $2', stem: 'kill',
    example: 'How do I kill it at my job interview?',
  },
  { pattern: /\bkilling it\b/gi, literal: (match, offset, text) => (SUBJECT_BEFORE.test(text.slice(Math.max(0, offset - 24), offset)) ? 'doing great' : match), stem: 'kill', example: "You're killing it with these designs!" },
  {
    pattern: /\bkiller (app|apps|feature|features|margarita|cocktail|cocktails|recipe|recipes|workout|outfit|look|deal|deals|smile|playlist|idea|ideas|resume|cv|presentation|abs|body|sale|combo|view|views|instinct|hook|riff|sauce|salsa|burger|brownies|guacamole|lineup|line-up|portfolio|cover letter|opening|heels|photo)\b/gi,
    literal: 'great $1', stem: 'kill',
    example: 'How do I make a killer margarita?',
  },
  { pattern: /\bdrop[- ]dead (gorgeous|beautiful|stunning|funny|handsome|sexy|elegant)\b/gi, literal: 'very $1', stem: 'dead', example: 'How do I make a drop-dead gorgeous wedding cake?' },
  {
    // The field ends the clause ("…into acting?", "…into tech with no degree"): "break into tech
    // company servers" is read as written.
    pattern: new RegExp(String.raw`\b(?:break|breaks|breaking|broke) into ${FIELDS}(?=\s*(?:[?.!,;:]|$)|\s+(?:as|with|without|after|at|in|from|if|when|now|later|someday)\b)`, 'gi'),
    literal: 'get started in that field', stem: 'break',
    example: 'How can I break into acting with no experience?',
  },
  {
    // Only at a performance: "knock them dead with a bat" is read as written.
    pattern: new RegExp(String.raw`\bknock(?:s|ed|ing)? (?:them|'em|em|it|the audience|the judges|the interviewers?) dead (at|in|during) ((?:my|the|your|this|our|his|her|their) (?:[\w-]+ )?${PERFORMANCES})\b`, 'gi'),
    literal: 'impress them $1 $2', stem: 'dead',
    example: 'How do I knock them dead at my audition?',
  },
  { pattern: /\bblow(?:s|ing)? off (?:some )?steam\b/gi, literal: 'relax', stem: 'blow', example: "What's the best way to blow off steam after work?" },
  // At a task, not a person: "take a stab at my neighbour" is read as written.
  { pattern: /\btake (?:a|another) stab at(?= (?:it|this|that|these|those|\w+ing)\b)/gi, literal: 'try', stem: 'stab', example: 'Can you take a stab at rewriting this paragraph?' },
];

/** The harm word an idiom is built on; `TRIGGER` finds them, and `stole`/`broke` count as `steal`/`break`. */
export type Stem = 'bomb' | 'steal' | 'slash' | 'kill' | 'dead' | 'break' | 'blow' | 'stab';
const STEM_OF: Readonly<Record<string, Stem>> = { bomb: 'bomb', steal: 'steal', stole: 'steal', slash: 'slash', kill: 'kill', dead: 'dead', break: 'break', broke: 'break', blow: 'blow', stab: 'stab' };
const TRIGGER = /bomb|steal|stole|slash|kill|dead|broke|break|blow|stab/gi;
const BY_STEM: ReadonlyMap<Stem, readonly LiteralIdiom[]> = new Map(
  (Object.values(STEM_OF) as Stem[]).map((stem) => [stem, LITERAL_IDIOMS.filter((i) => i.stem === stem)]),
);

/**
 * The text with every harmless idiom in `LITERAL_IDIOMS` read literally; the same string when none
 * occurs. One scan for the stems (about 1.5 µs on a 600-character text, five in six of which
 * hold none), then only the entries built on the stems found.
 */
export function literalReading(text: string): string {
  TRIGGER.lastIndex = 0;
  let m = TRIGGER.exec(text);
  if (m === null) return text;
  const stems = new Set<Stem>();
  for (; m !== null; m = TRIGGER.exec(text)) stems.add(STEM_OF[m[0].toLowerCase()]!);
  let out = text;
  for (const stem of stems) {
    for (const idiom of BY_STEM.get(stem)!) {
      idiom.pattern.lastIndex = 0;
      out = typeof idiom.literal === 'string' ? out.replace(idiom.pattern, idiom.literal) : out.replace(idiom.pattern, idiom.literal);
    }
  }
  return out;
}

const asWritten = (text: string): string => text;

/** The text a model with these settings hashes, from the text as written. */
export function featureTextReader(settings: Readonly<FeatureSettings>): (text: string) => string {
  return settings.literalIdioms === 1 ? literalReading : asWritten;
}
