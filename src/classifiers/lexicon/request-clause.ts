/**
 * The request clause around a term hit: from a first-person request opener ("how do I", "tell me
 * how", "give me the steps") before the hit to the end of the hit's sentence. When the request
 * asks for the hit directly (within `DIRECT_WORDS` words of the opener, none of them asking for
 * talk about it), a lexicon context marked as a frame (research, news, history: it says the text
 * talks about the harm) lowers the hit only between the opener and the hit, so a lead-in or a
 * tail does not excuse the request it wraps:
 *
 * - "For my research: how do I make a silencer?", "For my research, how do I make a silencer?"
 *   (the frame is before the opener);
 * - "How do I make a silencer? It's for my research." (the frame is in another sentence);
 * - "How do I rob a bank for a documentary?" (the frame is after the hit);
 * - "How do I, for my research, make a silencer?" (the frame is an aside: see `isAsideFrame`).
 *
 * Texts whose hit is not asked for ("Someone told her to kill herself. How do I report it?",
 * "What is a pipe bomb? I need it for an essay"), requests for talk about it ("How can I learn
 * about the history of chemical weapons?"), refusals ("I can't tell you how to …") and contexts
 * that change what is asked rather than frame it (a game, one's own account) are read as before.
 * Openers are read in English and in Spanish, Portuguese, French, German, Dutch, Italian, Russian,
 * Indonesian and Chinese; in other languages a frame counts wherever its window reaches.
 */

/** How far from the hit the sentence bounds are looked for. */
const SENTENCE_REACH = 500;

/** First-person request openers (a space stands for any run of white space). */
const OPENERS = [
  'how (?:exactly |precisely |else |then |now )?(?:do|can|could|would|should|might|will|shall|does|did) (?:i|we|you|u|one|someone|somebody|a person)',
  "how(?: to|['\u2019]d i| i)",
  '(?:tell|teach|show) me how (?:to|i|we|you|one|someone|somebody)',
  'teach me to',
  '(?:give|get|send|write|provide|list)(?: me)? (?:a |an |the |some |detailed |clear |simple |full |complete |exact |precise |actual |real |original |working |step by step |step-by-step )*(?:steps|instructions|guide|recipe|tutorial|method|methods|way|ways|code|script|plan)',
  'help me (?:to )?(?:make|build|create|buy|get|obtain|find|write|plan|cook|hide)',
  '(?:can you |could you )?(?:explain|describe|detail|outline)(?: to me)? how (?:to|i|we|you|one|someone|somebody)',
  '(?:explain|describe|detail|outline|list) the (?:process|steps|procedure|method) (?:to|for|of)',
  'walk me through',
  'guide me (?:through|on)',
  'write (?:me )?(?:a|an|some)',
  'where (?:can|could|do|would|should) (?:i|we|you|one) (?:buy|get|find|order)',
  'is there (?:a|any) (?:way|method) to',
  'tips (?:to|for|on)',
  // A request named by what it asks for: "the full recipe for meth", "instructions about making it".
  // Not "instructions for/to": "Instructions to make explosives are dangerous" names what a refusal refuses.
  '(?:the |a )?(?:full |exact |complete |detailed |whole |actual |real )?(?:recipe (?:for|to)|recipes (?:for|to)|instructions about)',
  'what (?:ingredients|chemicals|materials|supplies|tools|equipment|items|stuff) (?:do|would|should|will) (?:i|we|you|one) need (?:to|for)',
  '(?:the )?(?:best|easiest|quickest|fastest|cheapest|safest|simplest|most effective) (?:way|ways|method|methods) to',
];

/**
 * The same openers in the languages with the most lexicon terms: a how-question word with a
 * first-person, impersonal or infinitive verb ("¿cómo robo…?", "comment fabriquer…", "Wie baue
 * ich…", "come si costruisce…", "hoe maak ik…", "как сделать…", "bagaimana cara membuat…"),
 * not the word alone ("cómo funciona" asks how something works, "como" is also "like").
 */
/**
 * An aside set off by commas right after another language's how-word, before its verb: "¿Cómo,
 * para mi novela, robo un banco?". It is part of the opener, so a frame in it lends nothing.
 */
const ASIDE = "(?:,[^,¿?!.;:]{1,40},)?";

const OPENERS_OTHER_LANGUAGES = [
  // Spanish and Portuguese. An impersonal "se" in the present only: "¿cómo se fabricaba…?" asks
  // about history. Unaccented "como" mid-sentence is "as" ("el caso como robo"), so only at the
  // start of a question or after a verb asking to be told.
  `(?:cómo|(?:(?<=(?:dime|decime|dinos|explícame|explicame|enséñame|enseñame|me diz|me diga|saber|sabes|sabe) )|(?<!\\p{L}[,;]? ))como)${ASIDE}(?: (?:lo|la|los|las|le|les|me|te|nos|eu))? (?:puedo|podr[ií]a|podemos|hago|hacer|posso|poderia|fa[cç]o|fazer|consigo|se (?!\\p{L}*(?:aba|ava|ia|ía)(?![\\p{L}]))\\p{L}+[ae]|(?!(?:ser|estar|eso|esto|aquello|mismo|todo|nuevo|otro|uno|ello|isso|isto|aquilo|ejemplo|exemplo|caso|modo|cuanto|quanto|poco|pouco|mucho|muito|tanto|resultado)(?![\\p{L}]))\\p{L}{2,}(?:o|ar|er|ir))`,
  'de (?:qué|que) (?:manera|forma|modo)',
  '(?:qué|que|quais|quais são os|cuáles son los) pasos',
  'dime (?:cómo|como|los pasos)',
  'me ensin(?:a|e)',
  // French: "on" in the present ("comment on fabriquait…" asks about history).
  `comment${ASIDE} (?:je|j['\u2019]|on (?!\\p{L}*(?:ait|aient)(?![\\p{L}]))\\p{L}+|puis-je|peut-on|pourrais-je|pourrait-on|faire|est-ce qu(?:e|['\u2019])|qu['\u2019]on|vous|tu|(?!(?:[eê]tre|avoir)(?![\\p{L}]))\\p{L}+(?:er|ir|re))`,
  'de quelle (?:manière|maniere|façon|facon)',
  'quelles sont les (?:étapes|etapes)',
  'explique-moi',
  // German and Dutch: the verb, then the subject ("wie baute man" asks about history).
  'wie \\p{L}+ (?:ich|wir|du)',
  'wie (?!\\p{L}+te )\\p{L}+ man',
  'wie (?:genau|lässt sich|laesst sich|am besten)',
  'hoe (?:\\p{L}+ (?:ik|je|we|men)|precies|zou iemand)',
  'welke stappen',
  // Italian ("come here" is English; "come si costruiva" asks about history).
  `come${ASIDE} (?!(?:here|there|where|were|before|more|sure|care|share|prepare|compare|declare|aware|true)(?![\\p{L}]))(?:posso|potrei|possiamo|dovrei|potresti|si (?!\\p{L}*(?:ava|eva|iva)(?![\\p{L}]))\\p{L}+|faccio|fare|(?!(?:essere|avere)(?![\\p{L}]))\\p{L}+(?:are|ere|ire))`,
  'in che modo',
  'quali sono i passaggi',
  // Russian.
  'как (?:бы )?(?:мне|я|можно(?! было)|\\p{L}+ть(?:ся)?)',
  // Indonesian, formal and everyday.
  'bagaimana (?:cara|caranya|saya|aku|kita|membuat|bikin)',
  // "cara" alone is "the way" ("the film shows the way to rob a bank"): only opening a question.
  '(?<!\\p{L}[,;]? )cara (?:me\\p{L}+|bikin)',
  '(?:gimana|gmn)',
  'langkah-langkah',
];

/** Chinese openers: Han text has no spaces, so no word bounds; "是如何" (how it was) is talk about it. */
const OPENERS_HAN = ['(?<!是)(?:怎么|怎麼|如何|怎样|怎樣|咋)', '教我', '告诉我'];

const spaced = (o: string) => `(?:${o.replaceAll(' ', '\\s+')})`;
const ENGLISH_OPENER = new RegExp(`^(?:${OPENERS.map(spaced).join('|')})$`, 'iu');
const OPENER = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?:${[...OPENERS, ...OPENERS_OTHER_LANGUAGES].map(spaced).join('|')})(?![\\p{L}\\p{N}_])|${OPENERS_HAN.join('|')}`,
  'giu',
);

/**
 * A refusal or denial just before an opener ("I can't tell you how to …", "I won't give you
 * instructions to …") makes it no request: a model's answer names what it refuses.
 */
const NEGATED = /\b(?:can['\u2019]?t|cannot|won['\u2019]?t|will not|wouldn['\u2019]?t|not|never|don['\u2019]?t|refuse to|unable to)\s+(?:\S+\s+){0,3}$/i;

export interface RequestClause {
  /** Offset of the opener's first char. */
  from: number;
  /** Offset just after the opener. */
  openerEnd: number;
  /** Offset where the hit's sentence ends (exclusive). */
  to: number;
  /**
   * Whether the hit follows the opener within `DIRECT_WORDS` words ("how do I rob a bank", "how
   * do I go about actually trying to make a silencer"), none of them talk about it ("learn about",
   * "a report on"): the request asks for the hit itself.
   */
  direct: boolean;
}

/**
 * Words between an opener and the hit that make the request one for talk about it, not for the
 * means: "how can I learn about the history of …", "help me write a report on …". Learning,
 * reading or teaching oneself *to* do it asks for the means ("How can I learn to make meth?").
 */
const TALK_ABOUT = /\b(?:explain|describe|teach(?! (?:me|myself|us|yourself) (?:how )?to\b)|understand|talk|essay|report|story|paper|article|summar\w*|discuss|research(?:ing)? (?:how|why|what|the|on|into)|(?:learn|learning|read|reading|know|joke|jokes|story|stories|essay|report|article|poem|song|post|speech|talk|talking|teach|teaching|questions?|documentary|film|movie|book|paper|presentation|lesson|class|course|worried|concerned|think|feel|opinion)s? (?:more )?about)\b/i;

/** The same in the other languages with openers: explain, describe, how it works, history, learn, understand, an essay or report. */
const TALK_ABOUT_OTHER_LANGUAGES =
  /(?<![\p{L}])(?:explic|expliqu|investig|enqu[eê]t|ermittel|indag|расследова|erkl[aä]r|spieg|uitleg|объясн|jelaskan|menjelaskan|descri|d[eé]cri|beschreib|opisz|опиш|funcion|fonctionn|funktionier|funzion|werkt|работа|histor|geschicht|geschiedenis|storia|истори|sejarah|entend|comprend|versteh|capire|begrijp|понять|memahami|ensayo|informe|art[ií]culo|artigo|rapport|essai|aufsatz|bericht|artikel|saggio|articolo|verslag|стать|доклад|эссе|laporan|esai)|解释|描述|原理|运作|历史|了解|学习|论文|报告|文章/iu;

/**
 * Whether a frame between a request's opener and its hit is an aside rather than what is asked:
 * introduced as a purpose or a role ("How do I, for my research, make a silencer?", "how do I in
 * my novel get away with murder") or set off by commas or brackets on both sides ("how do I,
 * researching this, make …"). What is asked ("How do I prevent arson?", "How can I, as a parent,
 * protect my kids from grooming?") still frames the hit.
 */
export function isAsideFrame(text: string, clause: RequestClause, frameStart: number, frameEnd: number, hitStart: number): boolean {
  const frame = text.slice(frameStart, frameEnd);
  if (ASKED_FOR_VERB.test(frame)) return false;
  // A frame that governs the hit is what is asked: "help in the prevention of child abuse".
  if (GOVERNS.test(text.slice(frameEnd, hitStart))) return false;
  const lead = text.slice(clause.openerEnd, frameStart);
  if (INTRODUCED.test(lead)) return true;
  return SET_OFF_BEFORE.test(lead) && SET_OFF_AFTER.test(text.slice(frameEnd, hitStart));
}

/**
 * Whether a frame right after a requested hit can name what the hit is (for frames marked
 * `namesTerm`, a prop or a model): at most two words after it,
 * with no break, comma or purpose word between ("una bomba falsa de utilería", "a bomb prop", "a
 * murder scene"). A frame said as a purpose after the hit ("how do I rob a bank for a
 * documentary") is a tail, and lends nothing.
 */
export function modifiesHit(text: string, hitEnd: number, frameStart: number): boolean {
  const between = text.slice(hitEnd, frameStart);
  if (between.length > 40 || /[,;:.!?()[\]\n\u2013\u2014\uff0c\u3001\u3002]/.test(between) || PURPOSE.test(between)) return false;
  const words = between.trim();
  return words === '' || words.split(/\s+/).length <= 2;
}

/** Purpose and role words that make what follows a tail: "for", "para", "pour", "für", "untuk", "为了"… */
const PURPOSE = /(?<![\p{L}])(?:for|as|per|because|since|to|para|por|pour|f[uü]r|zum|zur|voor|om|untuk|buat|для|ради|чтобы)(?![\p{L}])|为了|用于|给/iu;

/**
 * Frames that say what is asked, never an aside: "How do I prevent arson?". Their nouns
 * (prevention, awareness, education) count only where they govern the hit: "for education,
 * make meth" is an aside.
 */
const ASKED_FOR_VERB = /^(?:prevent(?!ion)|protect(?!ion)|stop|report|educate)/i;
const GOVERNS = /^\s*(?:of|against|on|about|from)\b/i;

/**
 * A purpose or role word at most four words before the frame: "for my own research", "in my
 * novel", "as part of my research", "in the context of my novel".
 */
const INTRODUCED = /\b(?:for|as|per|in\s+(?:my|our|a|an|this|his|her|their|the))\s+(?:[^\s,;:()[\]]+\s+){0,4}$/i;
const SET_OFF_BEFORE = /[,([]/;
const SET_OFF_AFTER = /[,)\]]/;

/** How many words may stand between an opener and a hit it asks for directly. */
const DIRECT_WORDS = 6;

/**
 * The request clause of the hit over `text[hitStart, hitEnd)`, or undefined when no opener sits
 * in the hit's sentence before it or ends the sentence just before it. `floor` and `ceiling` bound
 * the search (a scanned segment).
 */
export function requestClause(text: string, hitStart: number, hitEnd: number, floor = 0, ceiling = text.length): RequestClause | undefined {
  let start = hitStart;
  const lowest = Math.max(floor, hitStart - SENTENCE_REACH);
  while (start > lowest && !isBreakAt(text, start - 1)) start--;
  // An opener cut from its request by a break ("how do I... make a silencer", "how do I — make")
  // still asks for it: the sentence before counts when it ends with the opener.
  // An opener may hold the hit's first word, and go on past it: "¿cómo robo un banco?", "Wie
  // raube ich…" (hit "raube").
  const found = lastOpener(text, start, Math.min(ceiling, hitEnd + OPENER_TAIL), hitStart) ?? openerEndingBefore(text, start, lowest);
  if (found === undefined) return undefined;
  const openerEnd = Math.min(found.end, hitStart);
  const between = text.slice(openerEnd, hitStart).trim();
  const opener = text.slice(found.start, found.end);
  // The opener's last word is read with the words after it: "instructions about" asks for the means.
  // Another language's opener holds its verb: "¿cómo describo un robo…?" asks for talk about it;
  // in unspaced Han text the hit's run holds opener and verb ("怎么解释…").
  const openerLast = /\S+$/.exec(opener)?.[0] ?? '';
  const talksAbout = TALK_ABOUT.test(`${openerLast} ${between}`) || (!found.english && TALK_ABOUT_OTHER_LANGUAGES.test(text.slice(found.start, Math.max(found.end, hitStart, Math.min(hitEnd, found.end + HAN_REACH)))));
  const direct = !talksAbout && (between === '' || between.split(/\s+/).length <= DIRECT_WORDS);
  let end = hitEnd;
  const highest = Math.min(ceiling, hitEnd + SENTENCE_REACH);
  while (end < highest && !isBreakAt(text, end)) end++;
  return { from: found.start, openerEnd, to: end, direct };
}

/**
 * How far past its opener a hit's chars are read for words of talk about it, where the hit is a
 * run of unspaced Han text that holds the opener ("怎么解释银行抢劫案": explain).
 */
const HAN_REACH = 4;

/** How far past a hit an opener that holds it may go on ("Wie raube ich": " ich"). */
const OPENER_TAIL = 8;

/** How far before a hit's sentence an opener cut off by a break is looked for. */
const PREVIOUS_REACH = 60;

/** The opener that ends the text before the sentence at `start`, but for breaks and spaces. */
function openerEndingBefore(text: string, start: number, lowest: number): FoundOpener | undefined {
  let from = start;
  while (from > lowest && isBreakOrSpaceAt(text, from - 1)) from--;
  if (from === start) return undefined;
  const previous = lastOpener(text, Math.max(lowest, from - PREVIOUS_REACH), from);
  return previous !== undefined && previous.end === from ? previous : undefined;
}

interface FoundOpener {
  start: number;
  end: number;
  /** An English opener (the others hold their verb, which says whether talk about it is asked). */
  english: boolean;
}

/**
 * The last opener in `text[from, to)` starting at or before `startsBefore` (a hit may begin with
 * its opener: "how to launder", and unspaced Han text is one word, "如何抢劫银行") that no refusal
 * comes just before. Matched on the text as written (see `readable`), case-insensitively, so
 * offsets stay those of `text` (lower-casing "İ" would lengthen it).
 */
function lastOpener(text: string, from: number, to: number, startsBefore = to): FoundOpener | undefined {
  if (to <= from) return undefined;
  const { span, at } = readable(text, from, to);
  let found: FoundOpener | undefined;
  OPENER.lastIndex = 0;
  for (let m = OPENER.exec(span); m != null && at(m.index) <= startsBefore; m = OPENER.exec(span)) {
    if (NEGATED.test(span.slice(Math.max(0, m.index - 40), m.index))) continue;
    found = { start: at(m.index), end: at(m.index + m[0].length - 1) + 1, english: ENGLISH_OPENER.test(m[0]) };
  }
  return found;
}

/**
 * `text[from, to)` as the openers read it: leetspeak digits as letters, fullwidth forms as ASCII
 * ("ｈｏｗ ｄｏ Ｉ"), invisible characters dropped ("how d\u200bo I"); `at` maps an offset in it back
 * to `text`.
 */
function readable(text: string, from: number, to: number): { span: string; at: (i: number) => number } {
  const raw = text.slice(from, to);
  const span = raw.replace(LEET_DIGIT, (d) => LEET_LETTER[d]!).replace(FULLWIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  if (!INVISIBLE.test(span)) return { span, at: (i) => from + i };
  const kept: number[] = [];
  let out = '';
  for (let i = 0; i < span.length; i++) {
    if (INVISIBLE.test(span[i]!)) continue;
    kept.push(i);
    out += span[i];
  }
  kept.push(span.length);
  return { span: out, at: (i) => from + kept[i]! };
}

const FULLWIDTH = /[\uff01-\uff5e\u3000]/g;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;

const LEET_DIGIT = /[013457]/g;
const LEET_LETTER: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };

function isBreakOrSpaceAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0xa0 || isBreakAt(text, i);
}

/**
 * Whether the char at `i` ends a sentence or a lead-in: a line break, `!`, `?`, `:`, `;`, a dash,
 * an ellipsis, their CJK, Arabic and Devanagari forms, or a full stop that is not a decimal point.
 * Abbreviations ("Dr. Smith") count as a break; that only narrows a clause, so a context counts
 * less, never a hit.
 */
export function isBreakAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x2e) return !(isDigitAt(text, i - 1) && isDigitAt(text, i + 1));
  return SENTENCE_BREAKS.has(c);
}

const SENTENCE_BREAKS = new Set(
  [...'\n!?:;\u2013\u2014\u2026\u3002\uff01\uff1f\uff1a\uff1b\uff0e\u061f\u061b\u06d4\u0964\u0965'].map((ch) => ch.charCodeAt(0)),
);

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}
