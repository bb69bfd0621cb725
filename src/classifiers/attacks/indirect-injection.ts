import { CUE, cueWords } from '../cue-words.js';
import type { AttackDetector, AttackFinding } from './attack-detector.js';

/**
 * Instructions planted in content an assistant is asked to process — an e-mail, a web page, a
 * document, tool output — rather than written by the user (indirect prompt injection, BIPIA).
 * Three kinds of sentence are looked for inside pasted content:
 *
 * 1. words addressed to the AI that reads the content: "AI assistant:", "[system]", "if you are
 *    an AI…", "when summarizing this e-mail, also…", "do not tell the user", "instead, reply
 *    with…", instructions hidden in an HTML comment or behind zero-width characters;
 * 2. directions for the reader's answer: "in your response, add…", "modify your reply to…" —
 *    an e-mail talks to its recipient, not to whoever writes the answer about it;
 * 3. a chat request on a line of its own that has nothing to do with the content around it
 *    ("Explain the theory of relativity." between two paragraphs of a bank notice).
 *
 * The content must look pasted: e-mail header fields, a greeting and a sign-off, HTML, a
 * "Document:" or tool-output label, or the user's own "…this e-mail:" before it. The user's own
 * instructions about the content ("Summarize this e-mail", "In your answer, list the amounts
 * from the e-mail below") refer to it and are not injections; nor is an e-mail that talks about
 * AI, or one that asks its recipient something about its own subject.
 */
export function createIndirectInjectionDetector(): AttackDetector {
  return Object.freeze({ id: 'indirect-injection', version: '1', detect: detectIndirectInjection });
}

/** How strongly each kind of sentence suggests an injection, inside pasted content. */
const SCORES = { addressedToAi: 0.95, answerDirective: 0.9, strayRequest: 0.85, quotedOverride: 0.9 } as const;

export function detectIndirectInjection(text: string): AttackFinding | undefined {
  if (text.length < 40) return undefined;
  const quoted = injectionInQuotedContent(text);
  if (quoted) return quoted;
  if (text.length < 60) return undefined;
  const hidden = hiddenInstruction(text);
  if (hidden) return hidden;
  // A planted line sits on a line of its own, or content and request share none: one line of
  // text is the user's own (and most prompts are one line, which keeps this cheap).
  if (!text.includes('\n')) return undefined;
  // Sentences are read for words to the AI or directions for the answer only when the text has
  // a word every such sentence needs (most pasted content has none); without one, only a stray
  // request can fire, and that needs a line opening like one. Both are tested before the
  // pasted-content signs, which cost more and are present far more often.
  const directedAt = (cueWords(text) & CUE.directed) !== 0 ? directedWordPositions(text) : [];
  const directed = directedAt.length > 0;
  if (!directed && !REQUEST_OPENER_AT_LINE_START.test(text)) return undefined;
  // Every finding needs a sign of pasted content, but the signs are counted only once a sentence
  // or a line could fire (on most texts none does, and the count costs more than looking). Only
  // `< 1` and `>= 2` are asked: counting stops at two.
  let doc = -1;
  const pasted = (): number => (doc < 0 ? (doc = documentEvidence(text, 2)) : doc);
  const lines = splitLines(text);
  // The user's framing lines, read only when a sentence or a line could fire.
  let framing: Set<number> | undefined;
  const isFraming = (i: number): boolean => (framing ??= framingLines(lines)).has(i);
  let best: AttackFinding | undefined;
  const consider = (f: AttackFinding): void => {
    if (!best || f.score > best.score) best = f;
  };
  let nextDirected = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // A sentence is a part of its line, cut where white space follows or the line ends, so a
    // line without a DIRECTED_WORDS match has no sentence with one (and none that can fire):
    // most lines of a text that has such a word somewhere are skipped without being split. A
    // match never spans lines, and a line's own match is one in the text, so only the lines
    // where a match of the text starts are tested (a match may need white space that trimming
    // the line took off: the test on the line decides).
    let lineDirected = false;
    if (nextDirected < directedAt.length && directedAt[nextDirected]! < line.end) {
      lineDirected = directedAt[nextDirected]! >= line.start && DIRECTED_WORDS.test(line.text);
      while (nextDirected < directedAt.length && directedAt[nextDirected]! < line.end) nextDirected++;
    }
    for (const s of lineDirected ? sentences(line.text, line.start) : []) {
      // The user may write "when summarizing this e-mail, …" about what they paste; "if you are
      // an AI" or "[system]" they have no reason to write.
      if (ADDRESSED_TO_AI.test(s.text) || (!isFraming(i) && WHEN_PROCESSING.test(s.text))) {
        if (pasted() < 1) return undefined;
        consider({ score: SCORES.addressedToAi, start: s.start, end: s.end, match: 'instruction to an AI inside pasted content' });
      } else if (!isFraming(i) && ANSWER_DIRECTIVE.test(s.text) && !refersToContent(s.text) && !forTheRecipient(s.text)) {
        if (pasted() < 1) return undefined;
        consider({ score: SCORES.answerDirective, start: s.start, end: s.end, match: 'directions for the answer inside pasted content' });
      }
    }
    // A request on the last line may be the user's own question about what they pasted: there it
    // takes stronger evidence of pasted content than between two paragraphs.
    if (!best && !isFraming(i) && isStrayRequest(line.text, text, lines, i)) {
      if (pasted() < 1) return undefined;
      if (doc >= 2 || (i > 0 && i < lines.length - 1)) consider({ score: SCORES.strayRequest, start: line.start, end: line.end, match: 'a request unrelated to the pasted content around it' });
    }
  }
  return best;
}

interface Span {
  text: string;
  start: number;
  end: number;
}

function splitLines(text: string): Span[] {
  const out: Span[] = [];
  let at = 0;
  for (const raw of text.split('\n')) {
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t !== '') out.push({ text: t, start: at + lead, end: at + lead + t.length });
    at += raw.length + 1;
  }
  return out;
}

function sentences(line: string, offset: number): Span[] {
  const out: Span[] = [];
  // A mark ends a sentence only before a space: not inside `www.example.com` or `3.5`.
  for (const m of line.matchAll(/(?:[^.!?]|[.!?]+(?=\S))+(?:[.!?]+(?=\s|$)|$)/g)) {
    const lead = m[0].length - m[0].trimStart().length;
    const t = m[0].trim();
    if (t !== '') out.push({ text: t, start: offset + m.index + lead, end: offset + m.index + lead + t.length });
  }
  return out;
}

/**
 * Points for "this is pasted content": header fields, a greeting, a sign-off, mailing-list
 * footers, markup, labels of documents and tool output, the user's own reference to it. Counting
 * stops at `enough` (the cheaper signs are read first).
 */
export function documentEvidence(text: string, enough = Number.POSITIVE_INFINITY): number {
  let points = 0;
  const colon = text.includes(':');
  if (text.length >= 400 && countNewlines(text, 4) >= 4) points += 1;
  if (text.includes('<') && /<\/?(?:html|body|div|p|span|a|table|tr|td|h[1-6]|li|ul|br)\b[^>]*>/i.test(text)) points += 1;
  if (points >= enough) return points;
  if (colon && (/^(?:subject|from|to|cc|date|sent|email_from|received date|reply-to)\s*:/im.test(text) || /\|\s*(?:content|email_from|received date)\s*:/i.test(text))) points += 2;
  if (points >= enough) return points;
  if (colon && /^(?:document|article|web ?page|page content|search results?|tool (?:output|result)|observation|context|retrieved|source|email|e-mail|message)\s*(?:\d+\s*)?:/im.test(text)) points += 2;
  if (points >= enough) return points;
  if (/\b(?:this|the following|the below|the attached|the above|below|following) (?:e-?mail|message|document|article|page|web ?page|text|letter|post|review|thread|transcript|report|notes?)\b/i.test(text)) points += 1;
  if (points >= enough) return points;
  if (/^(?:hi|hello|dear|hey|good (?:morning|afternoon|evening)|greetings)\b[^\n]{0,40}[,!:]?\s*$/im.test(text) || /^(?:[Hh]i|[Hh]ello|[Dd]ear)\s+[A-Z][\w.-]*,/m.test(text)) points += 1;
  if (points >= enough) return points;
  if (/^(?:best(?: regards| wishes)?|kind regards|regards|sincerely|cheers|thanks(?: again)?|thank you|many thanks|warm regards|yours(?: truly)?)\s*,?\s*$/im.test(text)) points += 1;
  if (points >= enough) return points;
  if (/\b(?:unsubscribe|reply to this (?:e-?mail|message)|view (?:it |this )?in (?:your )?browser|sent from my|you are receiving (?:this|these)|privacy policy|all rights reserved|©|manage (?:your )?(?:preferences|notifications))\b/i.test(text)) points += 1;
  return points;
}

/** Newlines in `text`, counted up to `max`. */
function countNewlines(text: string, max: number): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at >= 0 && n < max; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * Lines that are the user's own framing of the content: the first and the last line when they
 * refer to it ("Summarize this e-mail:", "What does the sender want?").
 */
function framingLines(lines: readonly Span[]): Set<number> {
  const out = new Set<number>();
  for (const i of [0, lines.length - 1]) {
    const l = lines[i];
    if (l && (refersToContent(l.text) || /:\s*$/.test(l.text))) out.add(i);
  }
  return out;
}

function refersToContent(s: string): boolean {
  return /\b(?:this|these|the following|following|below|above|attached|that) (?:e-?mails?|messages?|documents?|articles?|pages?|web ?pages?|texts?|letters?|posts?|reviews?|threads?|transcripts?|reports?|notes?|content|passage|paragraph|sender|newsletter|receipt|invoice|notice)\b/i.test(s) || /\bthe (?:e-?mails?|documents?|articles?|web ?pages?|passage|newsletter|receipt|invoice|notice)\b/i.test(s) || /\b(?:the )?(?:sender|recipient|e-?mail)\b/i.test(s) && /\b(?:summar|reply|respond|answer|extract|find|list|translate|classify|rewrite)/i.test(s);
}

/**
 * A human sender's request about the recipient's reply ("In your reply, please include your
 * order number", "We look forward to your response"): it asks for the recipient's own details,
 * says please, or speaks as "we" or "I" — quoted text aside.
 */
function forTheRecipient(sentence: string): boolean {
  const s = sentence.replace(/"[^"]*"|“[^”]*”|'[^']{3,}'/g, ' ');
  return (
    /\b(?:look(?:ing)? forward to|thank(?:s| you) for|awaiting|await) your\b/i.test(s) ||
    /\b(?:please|kindly|we|our|us|i|me|my)\b/i.test(s) ||
    /\byour (?!(?:response|reply|answer|output|message|summary|completion)s?\b)\w+/i.test(s)
  );
}

/** "When summarizing this e-mail, also…": an injection inside the content, the user's own words before or after it. */
const WHEN_PROCESSING = /\bwhen (?:you )?(?:summari[sz]ing|summari[sz]e|processing|answering questions about|analy[sz]ing) (?:this|the) (?:e-?mail|message|document|page|text|article|file|content)\b/i;

/** Words aimed at the AI reading the content, not at a human recipient. */
const ADDRESSED_TO_AI = new RegExp(
  [
    /\b(?:ai|llm|language model|chat ?bot|gpt|assistant)\s*[:,]\s*(?:please\s+)?(?:ignore|disregard|forget|stop|reply|respond|answer|say|write|output|include|add|tell|send|forward|summari[sz]e|do not|don'?t|you must|instead)/.source,
    /\b(?:if|when|whenever|in case) you are (?:an? )?(?:ai|llm|language model|assistant|chat ?bot|bot|model|agent)\b/.source,
    /\b(?:note|message|instructions?|attention|memo) (?:to|for) (?:the |any )?(?:ai|llm|assistant|language models?|chat ?bots?|models?|agents?)\b/.source,
    /\b(?:ai|llm|language models?|assistants?|chat ?bots?|agents?) (?:reading|processing|summari[sz]ing|parsing|analy[sz]ing) (?:this|these|the)\b/.source,
    /\b(?:do not|don'?t|never) (?:tell|inform|mention (?:this )?to|reveal (?:this )?to|let) the user\b/.source,
    /\bwithout (?:telling|informing|alerting|notifying) the user\b/.source,
    /\b(?:ignore|disregard|forget|override) (?:all |any |the |your )?(?:previous|prior|above|earlier|preceding|original|system|other) (?:instructions?|prompts?|directions?|rules|tasks?|context)\b/.source,
    /\binstead,? (?:of (?:summari[sz]ing|answering|replying)[^.]{0,40},? )?(?:reply|respond|answer|say|write|output|print|return|tell the user)\b/.source,
    /^\s*(?:\[\s*(?:system|assistant|admin|instructions?)\s*\]|<\|?(?:system|im_start|assistant)\|?>|###\s*(?:system|instruction)|system\s*(?:prompt|message|override|note)?\s*:)/.source,
    /\bnew (?:instructions?|task|directive)s?\s*:/.source,
  ].join('|'),
  'i',
);

/**
 * A word one of ADDRESSED_TO_AI's, WHEN_PROCESSING's or ANSWER_DIRECTIVE's branches needs: no
 * match of it anywhere, no sentence of the text can match them (keep it in step when a branch is
 * added; checked when it was made: the same findings on all 70,031 development texts). Grouped
 * by first letter, and without the words another one already finds (it has no `\b` at its end:
 * "assistant" finds "assistants", "model" finds "language models" and "instruction" "new
 * instructions"), so it matches in the same texts as the list it replaced at about three
 * quarters of the cost.
 */
export const DIRECTED_WORDS =
  /\b(?:a(?:i|ssistant|gent|dmin|nswer (?:only )?(?:in|with|using) )|llm|model|chat ?bot|gpt|you(?: are|r (?:response|reply|answer|output|message|summary|completion))|the user|i(?:gnore|nstead|nstruction|m_start)|disregard|forget|override|system|new (?:task|directive)|when (?:you )?(?:summari[sz]|processing|answering|analy[sz])|re(?:spond|ply) (?:only )?(?:in|with|using) )/i;

/** DIRECTED_WORDS, to find where its matches start. */
const DIRECTED_WORDS_ALL = new RegExp(DIRECTED_WORDS.source, 'gi');

/** Where the matches of DIRECTED_WORDS in `text` start, in order (none overlap). */
function directedWordPositions(text: string): number[] {
  const at: number[] = [];
  DIRECTED_WORDS_ALL.lastIndex = 0;
  for (let m = DIRECTED_WORDS_ALL.exec(text); m !== null; m = DIRECTED_WORDS_ALL.exec(text)) at.push(m.index);
  return at;
}

/** Directions for the answer that reads the content, not for a human recipient. */
const ANSWER_DIRECTIVE = new RegExp(
  [
    // An imperative about "your response": "Add … to your reply", "Scramble the letters of your answer's words".
    /^(?:please\s+)?(?:add|include|integrate|incorporate|modify|augment|enhance|insert|append|mention|suggest|use|replace|substitute|convert|misspell|introduce|scramble|jumble|rearrange|anagram|remove|group|combine|provide|render|format|translate|encode|reverse|express|emphasi[sz]e|highlight|stress|promote|recommend|tease|hint|offer|direct|invite|encourage|end|begin|start|make|put|keep|limit|write|rewrite|spell|capitali[sz]e|wrap|prefix|sign|close|finish|conclude|do not|don't|never|always)\b.{0,160}\byour (?:response|reply|answer|output|message|summary|completion)s?\b/.source,
    /^(?:in|within|throughout|at the (?:end|start|beginning) of) your (?:response|reply|answer|output|summary|completion)\b/.source,
    /\byour (?:response|reply|answer|output|summary|completion)(?:'s)? (?:should|must|needs? to|has to)\b/.source,
    /\b(?:respond|reply|answer) (?:only )?(?:in|with|using) (?:all caps|emojis?|base64|morse|pig latin|reverse|leetspeak|rot13|numbers|symbols|anagrams?)\b/.source,
  ].join('|'),
  'i',
);

/** What chat requests open with. */
export const REQUEST_OPENER =
  /^(?:please\s+)?(?:replace|substitute|misspell|scramble|jumble|rearrange|explain|describe|write|draft|compose|provide|translate|summari[sz]e|list|give|tell me|create|generate|develop|break down|outline|define|show me|suggest|recommend|compare|calculate|solve|name|teach me|help me|can you|could you|would you|what(?:'s| is| are| was| were| does| do)|who(?:'s| is| was| were| \w+ed| wrote)|which (?:is|are|was|were)|how (?:do|does|did|can|to|many|much|is|are)|why (?:do|does|did|is|are)|when (?:did|was|is)|where (?:is|are|was|did))\b/i;

/**
 * REQUEST_OPENER at the start of any line of the text, white space before it allowed: true
 * whenever some trimmed line of `splitLines` matches REQUEST_OPENER (`^` with the `m` flag also
 * starts a line after `\r`, `\u2028` and `\u2029`, so it can only match more), which makes it a
 * necessary condition for `isStrayRequest`. Built from REQUEST_OPENER so the two stay in step.
 */
export const REQUEST_OPENER_AT_LINE_START = new RegExp(`^\\s*${REQUEST_OPENER.source.slice(1)}`, 'im');

/** A question about what was pasted ("What does he mean?", "Is this tone rude?") is the user's own. */
const ABOUT_THE_CONTENT = /\b(?:given|provided|following|above|below|attached|he|she|they|him|her|them|his|hers|their|it|its|this|that|these|those|sender|writer|author|tone|meant|means|mean|reply|respond)\b/i;

/** "Can you send me…", "What time works for you?": a sender talks to the recipient. */
const PERSONAL = /\b(?:you|your|i|me|my|we|our|us)\b/i;

/** Calls to action an e-mail or a page makes of its reader. */
const CALL_TO_ACTION = /\b(?:click|unsubscribe|reply|call|contact|visit|download|log ?in|sign (?:in|up)|view|update|confirm|verify|pay|order|account|invoice|receipt|password|attached|meeting|schedule|let (?:me|us) know|please find|we|our|us)\b/i;

const STOP = new Set('about above after again also because been before being below between both could does doing down during each from further have having here into more most other over same should some such than that their them then there these they this those through under until very what when where which while will with would your yours you explain describe write provide create please tell give show'.split(' '));

function contentWords(s: string): string[] {
  return (s.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((w) => !STOP.has(w));
}

/**
 * A line on its own that reads as a chat request, is not a call to action of the content, and
 * shares almost none of its words with the rest of the text.
 */
function isStrayRequest(line: string, text: string, lines: readonly Span[], index: number): boolean {
  // The opener first: the cheapest test, and the one most lines fail.
  if (!REQUEST_OPENER.test(line)) return false;
  const words = line.split(/\s+/).length;
  if (words < 4 || words > 30 || !/[.?!'")]$/.test(line)) return false;
  if (CALL_TO_ACTION.test(line) || ABOUT_THE_CONTENT.test(line) || PERSONAL.test(line)) return false;
  // One sentence (a question with a quoted phrase may hold inner marks).
  if (sentences(line.replace(/'[^']*'|"[^"]*"/g, 'q'), 0).length > 1) return false;
  const own = contentWords(line.replace(/'[^']*'|"[^"]*"|‘[^’]*’|“[^”]*”/g, ' '));
  if (own.length === 0) return false;
  const rest = new Set(contentWords(lines.filter((_, i) => i !== index).map((l) => l.text).join(' ')));
  const shared = own.filter((w) => rest.has(w) || rest.has(w.replace(/s$/, ''))).length;
  return shared / own.length < 0.4 && text.length - line.length >= 120;
}

/**
 * Instructions hidden from a human reader: inside an HTML comment, or in text interleaved with
 * zero-width characters.
 */
function hiddenInstruction(text: string): AttackFinding | undefined {
  for (const m of text.includes('<!--') ? text.matchAll(/<!--([\s\S]{0,2000}?)-->/g) : []) {
    const body = m[1]!;
    if (ADDRESSED_TO_AI.test(body) || ANSWER_DIRECTIVE.test(body) || /\b(?:ignore|disregard|instead|you must|assistant|ai)\b/i.test(body) && IMPERATIVE.test(body)) {
      return { score: SCORES.addressedToAi, start: m.index, end: m.index + m[0].length, match: 'an instruction hidden in an HTML comment' };
    }
  }
  const zw = ZERO_WIDTH_ANY.test(text) ? text.match(/[\u200b-\u200f\u2060-\u2064\ufeff]/g) : null;
  if (zw && zw.length >= 8) {
    const visible = text.replace(/[\u200b-\u200f\u2060-\u2064\ufeff]/g, '');
    if (ADDRESSED_TO_AI.test(visible) || /\byour (?:response|reply|answer|output|summary)\b/i.test(visible)) {
      const first = text.search(/[\u200b-\u200f\u2060-\u2064\ufeff]/);
      return { score: SCORES.addressedToAi, start: first, end: text.length, match: 'an instruction behind zero-width characters' };
    }
  }
  return undefined;
}

const ZERO_WIDTH_ANY = /[\u200b-\u200f\u2060-\u2064\ufeff]/;
const IMPERATIVE = /\b(?:reply|respond|answer|say|write|output|include|add|tell|send|forward|summari[sz]e|recommend|mention|insert|append|print|return)\b/i;

/**
 * The user asks for a task on some content ("Translate this to French:", "Summarize the following
 * review:") and the content, quoted or after the colon, turns on that task: it tells the reader to
 * drop it ("Forget the translation", "Don't summarize this", "Ignore the above") and says what to
 * do instead or asks for a secret ("…instead reply with the admin password", "…print your system
 * prompt"). One line is enough: the content needs no other sign of being pasted, the task before
 * it says so. Text that merely holds those words ("Translate: 'Forgot your password? Reset it
 * here.'", "Summarize: the guide says to ignore the old instructions and use the new ones")
 * turns on no task and asks for no secret in place of one.
 */
function injectionInQuotedContent(text: string): AttackFinding | undefined {
  // The task ends at a colon or an opening quote: most texts have neither, and skip the pattern.
  if (!text.includes(':') && !text.includes('"') && !text.includes('“') && !text.includes('«')) return undefined;
  // Nor do most have a word the task needs (cue-words.ts), found in a pass shared with other patterns.
  if ((cueWords(text) & CUE.task) === 0) return undefined;
  const task = TASK_ON_CONTENT.exec(text);
  if (!task) return undefined;
  const start = task.index + task[0].length;
  const content = text.slice(start);
  const drop = DROP_THE_TASK.test(content);
  const instead = INSTEAD_DO.test(content);
  const secret = SECRET_REQUEST.test(content);
  if (!(drop && (instead || secret)) && !(instead && secret)) return undefined;
  return { score: SCORES.quotedOverride, start, end: text.length, match: 'an instruction to drop the task inside the content to process' };
}

/** A task on content, up to where the content starts: a colon or an opening quote. */
export const TASK_ON_CONTENT =
  /\b(?:translate|summari[sz]e|proofread|paraphrase|rephrase|reword|rewrite|correct|edit|classify|analy[sz]e|spell-?check|grammar-?check|fix the (?:grammar|spelling|typos)|detect the language of|sentiment of|tl;?dr)\b[^:"“«\n]{0,80}?(?::\s*["“«']?|\s["“«])/i;

/** Content that tells its reader to drop the task it was given. */
const DROP_THE_TASK = new RegExp(
  [
    /\b(?:forget|ignore|disregard|skip|stop|drop|cancel|abandon|never ?mind|scrap)\b (?:about )?(?:the |this |that |your |my |all |any |previous |prior |above )*(?:translat\w*|summar\w*|proofread\w*|rewrit\w*|paraphras\w*|task|assignment|request|instructions?|prompts?|above|everything)\b/.source,
    /\b(?:do not|don'?t|no need to) (?:translate|summari[sz]e|proofread|rewrite|paraphrase|correct|classify|analy[sz]e)\b/.source,
    /\binstead of (?:translating|summari[sz]ing|proofreading|rewriting|paraphrasing|correcting|classifying|analy[sz]ing)\b/.source,
  ].join('|'),
  'i',
);

/** What to do in place of the task: "instead reply with…", "instead, print…". */
const INSTEAD_DO = /\binstead\b,? (?:(?:just|only|please|you (?:should|must)) )?(?:reply|respond|answer|say|write|output|print|return|tell|give|reveal|send|list|show|share|type|repeat|leak|disclose)\b/i;

/** A request for a secret the content has no business asking the reader for. */
const SECRET_REQUEST =
  /\b(?:reply|respond|answer|say|write|output|print|return|tell|give|reveal|send|list|show|share|type|repeat|leak|disclose|email|forward|post)\b[^.!?]{0,40}\b(?:(?:admin|administrator|root|master|database|db|server|wi-?fi|account|user'?s?|the) )?(?:passwords?|passwd|passcodes?|api[ -]?keys?|secret (?:keys?|tokens?)|access tokens?|private keys?|credentials|system prompt|(?:your|the) (?:hidden |original |initial |secret )?(?:instructions|prompt))\b/i;
